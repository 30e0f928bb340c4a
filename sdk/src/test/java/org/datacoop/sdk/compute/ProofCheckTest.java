package org.datacoop.sdk.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.ReadsDocument;
import org.datacoop.chain.TaskReport;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Validator;
import org.datacoop.protocol.query.RowsRead;
import org.datacoop.sdk.compute.ComputeClient.Check;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** The offline re-check against honest and forged proofs, with no chain: each forgery fails the check that names it. */
class ProofCheckTest {
    private static final Wallet WORKER = Wallet.fromPrivateKey("0x" + "0".repeat(62) + "0b");
    private static final Wallet FORGER = Wallet.fromPrivateKey("0x" + "0".repeat(62) + "0c");
    private static final String TASK = "0x" + "11".repeat(32);
    private static final String ZERO = "0x" + "00".repeat(32);
    private static final String ALGORITHM = "0x" + "22".repeat(32);
    private static final String PARAMS = "0x" + "33".repeat(32);
    private static final String RESULT = "0x" + "44".repeat(32);
    private static final String MEASUREMENT = "0x" + "55".repeat(32);
    private static final String LEAVES_URL = "http://storage/leaves";
    private static final String OUTPUT_URL = "http://storage/output";
    private static final List<RowsRead> READS = List.of(new RowsRead(1, new TreeMap<>(Map.of(3L, 10L, 4L, 5L))));

    /** The digest the worker signs, standing in for the Verifier's EIP-712 one: bound to the task and result. */
    private static final Function<byte[], byte[]> DIGEST = reportHash -> Hash.sha3(
            (TASK + RESULT + Numeric.toHexString(reportHash)).getBytes(StandardCharsets.UTF_8));

    private static TaskReport report(String resultHash) {
        return new TaskReport(TASK, ZERO, ALGORITHM, PARAMS, resultHash, "software", MEASUREMENT, 1_700_000_000L, READS,
                LEAVES_URL, OUTPUT_URL);
    }

    private static ComputeChain.Task task() {
        return new ComputeChain.Task(TASK, Address.of("0x" + "66".repeat(20)), WORKER.address(), Address.ZERO, 1, 2,
                BigInteger.ONE, BigInteger.TWO, "0x" + "77".repeat(32), ALGORITHM, ZERO, PARAMS, List.of(1L), List.of(1L), "u",
                ComputeChain.Mode.TEE);
    }

    private static ComputeChain.Record record(TaskReport report) {
        return new ComputeChain.Record(ComputeChain.Status.VERIFIED, 1, 2, ZERO, report.dataRoot(), RESULT, OUTPUT_URL, "");
    }

    private static ComputeChain.Proof proof(TaskReport report, Wallet signer) {
        byte[] encoded = report.encode();
        return new ComputeChain.Proof(signer.signDigest(DIGEST.apply(Hash.sha3(encoded))), encoded, "0xtx");
    }

    private static Optional<Validator> worker() {
        return Optional.of(new Validator(WORKER.address(), "http://w", new byte[0], WORKER.publicKey(), "software",
                MEASUREMENT, true));
    }

    private static List<Check> run(ComputeChain.Record record, ComputeChain.Proof proof, byte[] leaves, boolean verified) {
        return ProofCheck.run(new ProofCheck.Evidence(task(), record, Optional.of(proof), worker(), DIGEST,
                url -> {
                    assertThat(url).isEqualTo(LEAVES_URL);
                    return leaves;
                }, () -> verified));
    }

    private static byte[] leaves(List<RowsRead> reads) {
        return new ReadsDocument(TASK, reads).toJson();
    }

    private static List<String> failed(List<Check> checks) {
        return checks.stream().filter(c -> !c.passed()).map(Check::name).toList();
    }

    @Test
    void anHonestProofPassesEveryCheck() {
        TaskReport report = report(RESULT);
        List<Check> checks = run(record(report), proof(report, WORKER), leaves(READS), true);

        assertThat(failed(checks)).isEmpty();
        assertThat(checks).extracting(Check::name).contains("signature recovers to the worker",
                "leaves document rebuilds the roots", "result hash is the record's", "Verifier.verifyResult");
    }

    @Test
    void aReportWhoseResultHashIsNotTheRecordsFails() {
        TaskReport forged = report("0x" + "99".repeat(32));
        List<Check> checks = run(record(forged), proof(forged, WORKER), leaves(READS), true);

        assertThat(failed(checks)).containsExactly("result hash is the record's");
    }

    @Test
    void aReportSignedByAnotherKeyFails() {
        TaskReport report = report(RESULT);
        List<Check> checks = run(record(report), proof(report, FORGER), leaves(READS), true);

        assertThat(failed(checks)).containsExactly("signature recovers to the worker");
        assertThat(checks.stream().filter(c -> !c.passed()).findFirst().orElseThrow().detail())
                .contains(FORGER.address().toString());
    }

    @Test
    void aRecordWithAnotherDataRootFails() {
        TaskReport report = report(RESULT);
        ComputeChain.Record honest = record(report);
        ComputeChain.Record other = new ComputeChain.Record(honest.status(), 1, 2, ZERO, "0x" + "aa".repeat(32), RESULT,
                OUTPUT_URL, "");

        assertThat(failed(run(other, proof(report, WORKER), leaves(READS), true))).containsExactly("data root is the record's");
    }

    @Test
    void leavesThatDoNotRebuildTheReportsRootsFail() {
        TaskReport report = report(RESULT);
        List<RowsRead> inflated = List.of(new RowsRead(1, new TreeMap<>(Map.of(3L, 10L, 4L, 500L))));

        assertThat(failed(run(record(report), proof(report, WORKER), leaves(inflated), true)))
                .containsExactly("leaves document rebuilds the roots");
    }

    @Test
    void bytesThatAreNotAReportFailToDecode() {
        TaskReport report = report(RESULT);
        ComputeChain.Proof garbage = new ComputeChain.Proof(new byte[65], new byte[] {1, 2, 3}, "0xtx");

        List<Check> checks = run(record(report), garbage, leaves(READS), true);

        assertThat(failed(checks)).containsExactly("report decodes");
    }

    @Test
    void aTaskTheVerifierDoesNotAcceptFails() {
        TaskReport report = report(RESULT);

        assertThat(failed(run(record(report), proof(report, WORKER), leaves(READS), false)))
                .containsExactly("Verifier.verifyResult");
    }
}
