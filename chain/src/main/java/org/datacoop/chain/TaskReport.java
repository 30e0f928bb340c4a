package org.datacoop.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.datacoop.protocol.query.RowsRead;
import org.web3j.abi.DefaultFunctionReturnDecoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The attestation report a worker's enclave signs for a compute task: the Verifier's
 * {@code ITeeVerifier.AttestationReport}, ABI-encoded exactly as {@code abi.encode(report)} so the
 * contract decodes it and anyone re-checks it offline from the bytes the chain recorded.
 *
 * @param reads what the task read, per refiner (ascending) with every file's rows: the report carries
 *     each refiner's Merkle root and total ({@link ReadsTree}), and {@code dataRoot} hashes those
 */
public record TaskReport(String taskId, String modelId, String algorithmDigest, String paramsHash, String resultHash,
        String enclaveType, String measurement, long time, List<RowsRead> reads, String leavesUrl, String outputUrl) {

    public TaskReport {
        reads = List.copyOf(reads);
    }

    /** {@code abi.encode(report)}. */
    public byte[] encode() {
        return Numeric.hexStringToByteArray(FunctionEncoder.encodeConstructor(List.of(struct())));
    }

    /** keccak256 of {@link #encode()}: what the worker's signature covers with the task and result. */
    public byte[] hash() {
        return Hash.sha3(encode());
    }

    /** {@code keccak256(abi.encode(reads))} as the Verifier checks it: the rows the task read. */
    public String dataRoot() {
        return dataRootOf(reads);
    }

    /** {@link #dataRoot()} of a report over {@code reads}: what a challenger re-executing the task computes. */
    public static String dataRootOf(List<RowsRead> reads) {
        return Numeric.toHexString(Hash.sha3(Numeric.hexStringToByteArray(
                FunctionEncoder.encodeConstructor(List.of(abiRoots(readsRoots(reads)))))));
    }

    /** The roots the report commits, one per refiner read, as the Settlement takes them. */
    public List<Root> readsRoots() {
        return readsRoots(reads);
    }

    private static List<Root> readsRoots(List<RowsRead> reads) {
        return reads.stream().map(r -> new Root(r.refinerId(), ReadsTree.of(r).root(), r.totalRows())).toList();
    }

    /** One refiner's committed reads. */
    public record Root(long refinerId, byte[] root, long totalRows) {}

    private DynamicStruct struct() {
        return new DynamicStruct(bytes32(taskId), bytes32(dataRoot()), bytes32(modelId), bytes32(algorithmDigest),
                bytes32(paramsHash), bytes32(resultHash), new Utf8String(enclaveType), bytes32(measurement),
                new Uint64(time), abiRoots(readsRoots()), new Utf8String(leavesUrl), new Utf8String(outputUrl));
    }

    private static DynamicArray<StaticStruct> abiRoots(List<Root> roots) {
        return new DynamicArray<>(StaticStruct.class, roots.stream()
                .map(r -> new StaticStruct(new Uint256(r.refinerId()), new Bytes32(r.root()), new Uint256(r.totalRows())))
                .toList());
    }

    private static Bytes32 bytes32(String hex) {
        byte[] bytes = Numeric.hexStringToByteArray(hex);
        if (bytes.length != 32) {
            throw new IllegalArgumentException("not 32 bytes: " + hex);
        }
        return new Bytes32(bytes);
    }

    /**
     * The fields of an encoded report that stand on their own: what a re-check compares with the
     * chain (the reads' roots only, not their leaves, which the leaves document holds).
     */
    public record Decoded(String taskId, String dataRoot, String modelId, String algorithmDigest, String paramsHash,
            String resultHash, String enclaveType, String measurement, long time, List<Root> roots, String leavesUrl,
            String outputUrl) {}

    /** Reads an {@code abi.encode(report)}; fails naming it when the bytes are not one. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static Decoded decode(byte[] encoded) {
        List<TypeReference<?>> fields = List.of(new TypeReference<Bytes32>() {}, new TypeReference<Bytes32>() {},
                new TypeReference<Bytes32>() {}, new TypeReference<Bytes32>() {}, new TypeReference<Bytes32>() {},
                new TypeReference<Bytes32>() {}, new TypeReference<Utf8String>() {}, new TypeReference<Bytes32>() {},
                new TypeReference<Uint64>() {}, new TypeReference<DynamicBytes>() {},
                new TypeReference<Utf8String>() {}, new TypeReference<Utf8String>() {});
        List<Type> values;
        try {
            // The report is one dynamic tuple: its head is an offset, its fields follow.
            byte[] body = Arrays.copyOfRange(encoded, 32, encoded.length);
            values = new DefaultFunctionReturnDecoder().decodeFunctionResult(Numeric.toHexString(body),
                    (List) fields);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the attestation report is not an ABI-encoded AttestationReport: "
                    + e.getMessage(), e);
        }
        if (values.size() != fields.size()) {
            throw new IllegalArgumentException("the attestation report is not an ABI-encoded AttestationReport");
        }
        List<Root> roots = roots(Arrays.copyOfRange(encoded, 32, encoded.length));
        return new Decoded(hex(values.get(0)), hex(values.get(1)), hex(values.get(2)), hex(values.get(3)),
                hex(values.get(4)), hex(values.get(5)), (String) values.get(6).getValue(), hex(values.get(7)),
                ((BigInteger) values.get(8).getValue()).longValueExact(), roots, (String) values.get(10).getValue(),
                (String) values.get(11).getValue());
    }

    /**
     * The reads' roots, read by hand: web3j's decoder returns the first element of an array of static
     * structs for every element. (The decoder above read that field as bytes only to skip it.)
     */
    private static List<Root> roots(byte[] body) {
        int offset = word(body, 9 * 32).intValueExact();
        int count = word(body, offset).intValueExact();
        List<Root> roots = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = offset + 32 + i * 96;
            roots.add(new Root(word(body, at).longValueExact(), Arrays.copyOfRange(body, at + 32, at + 64),
                    word(body, at + 64).longValueExact()));
        }
        return roots;
    }

    private static BigInteger word(byte[] body, int at) {
        if (at < 0 || at + 32 > body.length) {
            throw new IllegalArgumentException("the attestation report is not an ABI-encoded AttestationReport: too short");
        }
        return new BigInteger(1, Arrays.copyOfRange(body, at, at + 32));
    }

    private static String hex(Type<?> value) {
        return Numeric.toHexString((byte[]) value.getValue());
    }
}
