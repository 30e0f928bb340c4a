package org.datacoop.sdk.compute;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.ReadsDocument;
import org.datacoop.chain.TaskReport;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Validator;
import org.datacoop.sdk.compute.ComputeClient.Check;
import org.web3j.crypto.Hash;

/**
 * The offline re-check of a proved task, trusting neither the worker nor the Verifier's word: every
 * claim of the proving transaction's report is compared with what the chain keeps and with the
 * leaves document the report names. Kept apart from the chain so forged proofs are tested without one.
 */
final class ProofCheck {
    private ProofCheck() {}

    /**
     * What the re-check reads: the task and its record, the proof read back from the proving transaction
     * (empty if there is none), the TeePool's record of the task's worker, the EIP-712 digest the worker
     * should have signed for a report hash, the leaves document's bytes by url, and the Verifier's answer.
     */
    record Evidence(ComputeChain.Task task, ComputeChain.Record record, Optional<ComputeChain.Proof> proof,
            Optional<Validator> worker, Function<byte[], byte[]> signedDigest, Function<String, byte[]> fetch,
            Supplier<Boolean> verifyResult) {}

    static List<Check> run(Evidence evidence) {
        ComputeChain.Task task = evidence.task();
        ComputeChain.Record record = evidence.record();
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("recorded as verified", record.status() == ComputeChain.Status.VERIFIED,
                "the ExecutionRecord says " + record.status()));
        if (evidence.proof().isEmpty()) {
            checks.add(new Check("proof found", false, "no TeeProofAccepted or OptimisticResultProposed event names task "
                    + task.taskId()));
            return checks;
        }
        ComputeChain.Proof proof = evidence.proof().get();
        TaskReport.Decoded report;
        try {
            report = TaskReport.decode(proof.report());
        } catch (IllegalArgumentException e) {
            checks.add(new Check("report decodes", false, e.getMessage()));
            return checks;
        }
        checks.add(new Check("report decodes", true, "from transaction " + proof.txHash()));
        checks.add(signer(evidence, proof, report));
        checks.add(same("report names the task", report.taskId(), task.taskId()));
        checks.add(same("model id is the task's", report.modelId(), task.modelId()));
        checks.add(same("algorithm digest is the task's", report.algorithmDigest(), task.algorithmDigest()));
        checks.add(same("params hash is the task's", report.paramsHash(), task.paramsHash()));
        checks.add(same("result hash is the record's", report.resultHash(), record.resultHash()));
        checks.add(same("data root is the record's", report.dataRoot(), record.dataRoot()));
        checks.add(new Check("output url is the record's", report.outputUrl().equals(record.outputUrl()),
                report.outputUrl() + (report.outputUrl().equals(record.outputUrl()) ? "" : " vs " + record.outputUrl())));
        checks.add(enclave(evidence.worker(), report));
        checks.add(leaves(evidence, task, report));
        boolean verified = evidence.verifyResult().get();
        checks.add(new Check("Verifier.verifyResult", verified, String.valueOf(verified)));
        return checks;
    }

    private static Check signer(Evidence evidence, ComputeChain.Proof proof, TaskReport.Decoded report) {
        String name = "signature recovers to the worker";
        try {
            byte[] digest = evidence.signedDigest().apply(Hash.sha3(proof.report()));
            Address signer = Wallet.addressOf(Wallet.signerPublicKeyOfDigest(digest, proof.signature()));
            return new Check(name, signer.equals(evidence.task().worker()), "signed by " + signer
                    + (signer.equals(evidence.task().worker()) ? "" : ", the task's worker is " + evidence.task().worker()));
        } catch (RuntimeException e) {
            return new Check(name, false, "the signature does not recover: " + e.getMessage());
        }
    }

    private static Check enclave(Optional<Validator> worker, TaskReport.Decoded report) {
        String name = "enclave is the TeePool's record of the worker";
        if (worker.isEmpty()) {
            return new Check(name, false, "the TeePool has no record of the worker");
        }
        Validator v = worker.get();
        boolean same = v.enclaveType().equals(report.enclaveType()) && v.measurement().equalsIgnoreCase(report.measurement());
        return new Check(name, same, report.enclaveType() + " " + report.measurement()
                + (same ? "" : " vs " + v.enclaveType() + " " + v.measurement()));
    }

    /** Rebuilds every root of the report from its leaves document, and the data root from them. */
    private static Check leaves(Evidence evidence, ComputeChain.Task task, TaskReport.Decoded report) {
        String name = "leaves document rebuilds the roots";
        ReadsDocument document;
        try {
            document = ReadsDocument.parse(evidence.fetch().apply(report.leavesUrl()));
        } catch (RuntimeException e) {
            return new Check(name, false, "reading " + report.leavesUrl() + ": " + e.getMessage());
        }
        if (!document.queryId().equalsIgnoreCase(task.taskId())) {
            return new Check(name, false, "the document at " + report.leavesUrl() + " is for " + document.queryId());
        }
        // The report rebuilt with the document's reads: its roots and data root must be the signed ones.
        TaskReport rebuilt = new TaskReport(report.taskId(), report.modelId(), report.algorithmDigest(), report.paramsHash(),
                report.resultHash(), report.enclaveType(), report.measurement(), report.time(), document.reads(),
                report.leavesUrl(), report.outputUrl());
        List<TaskReport.Root> roots = rebuilt.readsRoots();
        boolean same = roots.size() == report.roots().size();
        for (int i = 0; same && i < roots.size(); i++) {
            TaskReport.Root a = roots.get(i);
            TaskReport.Root b = report.roots().get(i);
            same = a.refinerId() == b.refinerId() && Arrays.equals(a.root(), b.root()) && a.totalRows() == b.totalRows();
        }
        if (!same) {
            return new Check(name, false, "the leaves at " + report.leavesUrl() + " do not rebuild the report's roots and totals");
        }
        if (!rebuilt.dataRoot().equalsIgnoreCase(report.dataRoot())) {
            return new Check(name, false, "the roots hash to " + rebuilt.dataRoot() + ", not the report's data root "
                    + report.dataRoot());
        }
        long rows = roots.stream().mapToLong(TaskReport.Root::totalRows).sum();
        return new Check(name, true, roots.size() + " refiner(s), " + rows + " rows");
    }

    private static Check same(String name, String reported, String expected) {
        boolean same = reported.equalsIgnoreCase(expected);
        return new Check(name, same, reported + (same ? "" : " vs " + expected));
    }
}
