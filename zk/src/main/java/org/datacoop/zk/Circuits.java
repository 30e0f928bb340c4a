package org.datacoop.zk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.datacoop.chain.devnet.Toolchain;

/**
 * The circuits of {@code circuits/}, reached through {@code node circuits/zk.js}: no Groth16 prover and
 * no Poseidon matching circomlib's is on Maven Central, and circomlibjs is the circuits' own reference
 * (zk.js says more). Each call runs one node process; values never appear on a command line.
 */
public final class Circuits {
    /** BN254's scalar field, in which the circuits compute. */
    public static final BigInteger FIELD =
            new BigInteger("21888242871839275222246405745257275088548364400416034343698204186575808495617");
    /** The aggregate circuits built, by the rows they hold; DataCommitments.circuitFor chooses the same. */
    public static final List<Integer> AGGREGATE_ROWS = List.of(8, 32);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final Path script;

    private Circuits(Path script) {
        this.script = script;
    }

    /** The circuits of the checkout {@code coop} runs from ({@code coop.home} or {@code COOP_HOME}). */
    public static Circuits discover() {
        return at(Toolchain.discover().home());
    }

    /** The circuits of the checkout at {@code home}; fails naming the fix when they are not built. */
    public static Circuits at(Path home) {
        Path script = home.resolve("circuits").resolve("zk.js");
        if (!Files.isRegularFile(script)) {
            throw new ZkException("no circuits at " + script.getParent() + ": is " + home + " a DataCoop checkout?");
        }
        return new Circuits(script);
    }

    /** Whether the circuits' keys are built (by {@code node circuits/build.js}, which {@code ./coop build} runs). */
    public boolean built() {
        return AGGREGATE_ROWS.stream().allMatch(rows -> Files.isRegularFile(
                script.resolveSibling("build").resolve("aggregate" + rows + ".zkey")));
    }

    /** The rows of the smallest aggregate circuit that holds {@code rows} values. */
    public static int circuitFor(int rows) {
        return AGGREGATE_ROWS.stream().filter(held -> rows <= held).findFirst().orElseThrow(() -> new ZkException(
                rows + " rows do not fit an aggregate circuit: the largest holds " + AGGREGATE_ROWS.getLast()));
    }

    /** A salt for a commitment: {@code secret} (e.g. 32 bytes from the enclave) reduced into the field. */
    public static BigInteger salt(byte[] secret) {
        return new BigInteger(1, secret).mod(FIELD);
    }

    /** A field element as the signed integer it stands for (elements above p/2 are negative). */
    public static BigInteger signed(BigInteger element) {
        return element.compareTo(FIELD.shiftRight(1)) > 0 ? element.subtract(FIELD) : element;
    }

    /** The salted Poseidon commitment to {@code values} (fixed-point integers) that the aggregate circuits open. */
    public BigInteger commitment(List<BigInteger> values, BigInteger salt) {
        ObjectNode request = request(values, salt);
        return new BigInteger(run("commit", request).path("commitment").asText());
    }

    /**
     * A proof, by the smallest aggregate circuit that holds them, of count, sum, and count and sum of the
     * values at least {@code threshold}, over {@code values} under their commitment with {@code salt}.
     */
    public AggregateProof proveAggregate(List<BigInteger> values, BigInteger salt, BigInteger threshold) {
        int rows = circuitFor(values.size());
        ObjectNode request = request(values, salt);
        request.put("circuit", "aggregate" + rows);
        request.put("threshold", threshold.toString());
        JsonNode calldata = run("prove", request).path("calldata");
        List<BigInteger> proof = new ArrayList<>();
        calldata.path("a").forEach(x -> proof.add(element(x)));
        calldata.path("b").forEach(pair -> pair.forEach(x -> proof.add(element(x))));
        calldata.path("c").forEach(x -> proof.add(element(x)));
        List<BigInteger> signals = new ArrayList<>();
        calldata.path("inputs").forEach(x -> signals.add(element(x)));
        return new AggregateProof(rows, proof, signals);
    }

    private static ObjectNode request(List<BigInteger> values, BigInteger salt) {
        ObjectNode request = JSON.createObjectNode();
        ArrayNode array = request.putArray("values");
        values.forEach(value -> array.add(value.toString()));
        request.put("salt", salt.toString());
        return request;
    }

    private static BigInteger element(JsonNode hex) {
        return new BigInteger(hex.asText().replaceFirst("^0x", ""), 16);
    }

    private JsonNode run(String command, ObjectNode request) {
        Process process;
        try {
            process = new ProcessBuilder("node", script.toString(), command).start();
        } catch (IOException e) {
            throw new ZkException("cannot start node for the circuits (is Node.js installed?): " + e.getMessage(), e);
        }
        try {
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            try (var in = process.getOutputStream()) {
                in.write(JSON.writeValueAsBytes(request));
            }
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ZkException("circuits/zk.js " + command + " did not finish within " + TIMEOUT.toMinutes()
                        + " minutes");
            }
            if (process.exitValue() != 0) {
                throw new ZkException("circuits/zk.js " + command + " failed: "
                        + new String(err.join(), StandardCharsets.UTF_8).strip());
            }
            return JSON.readTree(out.join());
        } catch (IOException e) {
            throw new ZkException("circuits/zk.js " + command + " answered unreadably: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkException("interrupted while circuits/zk.js " + command + " ran", e);
        } finally {
            process.destroyForcibly();
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
