// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {ComputeTest} from "./ComputeTest.sol";
import {Verifier} from "../../src/compute/Verifier.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IReadsLedger} from "../../src/interfaces/IReadsLedger.sol";
import {ITeeVerifier} from "../../src/interfaces/compute/ITeeVerifier.sol";
import {IOptimisticVerifier} from "../../src/interfaces/compute/IOptimisticVerifier.sol";
import {IExecutionRecord} from "../../src/interfaces/compute/IExecutionRecord.sol";
import {ISettlement} from "../../src/interfaces/compute/ISettlement.sol";

contract VerifierTest is ComputeTest {
    function test_submitTEEProof_recordsTheTaskVerifiedAndPaysIt() public {
        bytes32 taskId = _submit();
        vm.assertFalse(verifier.verifyResult(abi.encode(taskId)), "not verified before its proof");
        ITeeVerifier.AttestationReport memory report = _report(taskId, RESULT, _readsOfBoth());
        bytes memory encoded = abi.encode(report);
        bytes memory signature = _signResult(TEE_KEY, verifier, taskId, RESULT, encoded);

        vm.expectEmit(true, true, false, true, address(verifier));
        emit ITeeVerifier.TeeProofAccepted(taskId, tee, RESULT, report.dataRoot);
        vm.prank(address(0x5E1A)); // anyone may relay the worker's proof
        verifier.submitTEEProof(abi.encode(taskId), abi.encode(RESULT), signature, encoded);

        vm.assertTrue(verifier.verifyResult(abi.encode(taskId)), "verified");
        IExecutionRecord.Record memory written = record.records(taskId);
        vm.assertEq(uint256(written.status), uint256(IExecutionRecord.Status.Verified), "status");
        vm.assertEq(written.resultHash, RESULT, "result");
        vm.assertEq(written.dataRoot, report.dataRoot, "data root");
        vm.assertEq(written.outputUrl, "http://storage/output", "output");
        vm.assertEq(uint256(settlement.escrows(taskId).status), uint256(ISettlement.EscrowStatus.Paid), "paid");
        vm.assertEq(settlement.earnings(address(0), tee), WORKER_FEE, "the worker's fee");
    }

    function test_submitTEEProof_refusesASignatureOfAnotherValidator() public {
        _addTee(vm.addr(OTHER_TEE_KEY), 2); // active, but not the task's worker
        bytes32 taskId = _submit();
        bytes memory report = abi.encode(_report(taskId, RESULT, _readsOfBoth()));
        bytes memory signature = _signResult(OTHER_TEE_KEY, verifier, taskId, RESULT, report);
        vm.expectRevert(abi.encodeWithSelector(ITeeVerifier.VerifierWrongSigner.selector, vm.addr(OTHER_TEE_KEY), tee));
        verifier.submitTEEProof(abi.encode(taskId), abi.encode(RESULT), signature, report);
    }

    function test_submitTEEProof_refusesTheWorkersSignatureOfAnotherTask() public {
        bytes32 first = _submit();
        bytes32 second = _submit();
        // The worker's genuine proof of the first task, sent for the second.
        bytes memory report = abi.encode(_report(first, RESULT, _readsOfBoth()));
        bytes memory signature = _signResult(TEE_KEY, verifier, first, RESULT, report);
        address recovered = ECDSA.recover(verifier.teeResultDigest(second, RESULT, keccak256(report)), signature);
        vm.expectRevert(abi.encodeWithSelector(ITeeVerifier.VerifierWrongSigner.selector, recovered, tee));
        verifier.submitTEEProof(abi.encode(second), abi.encode(RESULT), signature, report);
        // And a report of the first task signed again for the second still names the first.
        bytes memory resigned = _signResult(TEE_KEY, verifier, second, RESULT, report);
        vm.expectRevert(abi.encodeWithSelector(ITeeVerifier.VerifierReportMismatch.selector, second, "taskId"));
        verifier.submitTEEProof(abi.encode(second), abi.encode(RESULT), resigned, report);
    }

    function test_submitTEEProof_refusesASignatureForAnotherVerifierOrChain() public {
        bytes32 taskId = _submit();
        bytes memory report = abi.encode(_report(taskId, RESULT, _readsOfBoth()));
        Verifier other = new Verifier(coordinator, record, settlement, pool, deployment.disputeGame);
        bytes memory forOther = _signResult(TEE_KEY, other, taskId, RESULT, report);
        bytes32 here = verifier.teeResultDigest(taskId, RESULT, keccak256(report));
        vm.expectRevert(
            abi.encodeWithSelector(ITeeVerifier.VerifierWrongSigner.selector, ECDSA.recover(here, forOther), tee)
        );
        verifier.submitTEEProof(abi.encode(taskId), abi.encode(RESULT), forOther, report);

        uint256 chain = block.chainid;
        vm.chainId(chain + 1);
        bytes memory forOtherChain = _signResult(TEE_KEY, verifier, taskId, RESULT, report);
        vm.chainId(chain);
        vm.expectRevert(
            abi.encodeWithSelector(ITeeVerifier.VerifierWrongSigner.selector, ECDSA.recover(here, forOtherChain), tee)
        );
        verifier.submitTEEProof(abi.encode(taskId), abi.encode(RESULT), forOtherChain, report);
    }

    function test_submitTEEProof_refusesAReportSignedForAnotherResult() public {
        bytes32 taskId = _submit();
        bytes32 forged = keccak256("another result");
        bytes memory report = abi.encode(_report(taskId, RESULT, _readsOfBoth()));
        bytes memory signature = _signResult(TEE_KEY, verifier, taskId, forged, report);
        vm.expectRevert(abi.encodeWithSelector(ITeeVerifier.VerifierReportMismatch.selector, taskId, "resultHash"));
        verifier.submitTEEProof(abi.encode(taskId), abi.encode(forged), signature, report);
    }

    /// Each field of a report that does not match is refused by name, even signed by the worker.
    function test_submitTEEProof_refusesAReportNamingAnythingElse() public {
        bytes32 taskId = _submit();
        string[8] memory fields =
            ["dataRoot", "modelId", "algorithmDigest", "paramsHash", "enclaveType", "measurement", "time", "time"];
        for (uint256 i = 0; i < fields.length; i++) {
            ITeeVerifier.AttestationReport memory report = _report(taskId, RESULT, _readsOfBoth());
            if (i == 0) report.dataRoot = keccak256("other rows");
            if (i == 1) report.modelId = keccak256("other model");
            if (i == 2) report.algorithmDigest = keccak256("builtin:copy-rows");
            if (i == 3) report.paramsHash = keccak256("{}");
            if (i == 4) report.enclaveType = "sgx";
            if (i == 5) report.measurement = keccak256("debug enclave");
            if (i == 6) report.time = uint64(block.timestamp + 1);
            if (i == 7) report.time = coordinator.tasks(taskId).submittedAt - 1;
            bytes memory encoded = abi.encode(report);
            bytes memory signature = _signResult(TEE_KEY, verifier, taskId, RESULT, encoded);
            vm.expectRevert(abi.encodeWithSelector(ITeeVerifier.VerifierReportMismatch.selector, taskId, fields[i]));
            verifier.submitTEEProof(abi.encode(taskId), abi.encode(RESULT), signature, encoded);
        }
        vm.assertFalse(verifier.verifyResult(abi.encode(taskId)), "still unverified");
    }

    function test_submitTEEProof_refusesReadsOfARefinerTheTaskDoesNotPayFor() public {
        bytes32 taskId = _submit();
        uint256 otherRefiner = _addRefiner(dlpId, schemaId);
        _refine(aliceFile, otherRefiner);
        IReadsLedger.Reads[] memory reads = _reads(otherRefiner, _uints(aliceFile), _uints(5));
        bytes memory report = abi.encode(_report(taskId, RESULT, reads));
        bytes memory signature = _signResult(TEE_KEY, verifier, taskId, RESULT, report);
        vm.expectRevert(abi.encodeWithSelector(ISettlement.SettlementMalformedReads.selector, otherRefiner));
        verifier.submitTEEProof(abi.encode(taskId), abi.encode(RESULT), signature, report);
    }

    function test_submitTEEProof_refusesARemovedWorker() public {
        bytes32 taskId = _submit();
        pool.removeTee(tee);
        bytes memory report = abi.encode(_report(taskId, RESULT, _readsOfBoth()));
        bytes memory signature = _signResult(TEE_KEY, verifier, taskId, RESULT, report);
        vm.expectRevert(abi.encodeWithSelector(ITeeVerifier.VerifierWorkerNotActive.selector, tee));
        verifier.submitTEEProof(abi.encode(taskId), abi.encode(RESULT), signature, report);
    }

    function test_submitTEEProof_refusesASecondProof() public {
        bytes32 taskId = _submit();
        _prove(taskId, _readsOfBoth());
        bytes memory report = abi.encode(_report(taskId, RESULT, _readsOfBoth()));
        bytes memory signature = _signResult(TEE_KEY, verifier, taskId, RESULT, report);
        vm.expectRevert(
            abi.encodeWithSelector(ITeeVerifier.VerifierNotSubmitted.selector, taskId, IExecutionRecord.Status.Verified)
        );
        verifier.submitTEEProof(abi.encode(taskId), abi.encode(RESULT), signature, report);
        vm.assertEq(settlement.earnings(address(0), tee), WORKER_FEE, "paid once");
    }

    function test_submitTEEProof_refusesAProofAfterTheDeadlineOrTheRefund() public {
        bytes32 taskId = _submit();
        uint64 deadline = coordinator.tasks(taskId).deadline;
        vm.warp(deadline + 1);
        bytes memory report = abi.encode(_report(taskId, RESULT, _readsOfBoth()));
        bytes memory signature = _signResult(TEE_KEY, verifier, taskId, RESULT, report);
        vm.expectRevert(abi.encodeWithSelector(ITeeVerifier.VerifierDeadlinePassed.selector, taskId, deadline));
        verifier.submitTEEProof(abi.encode(taskId), abi.encode(RESULT), signature, report);
        coordinator.refund(taskId);
        vm.expectRevert(
            abi.encodeWithSelector(ITeeVerifier.VerifierNotSubmitted.selector, taskId, IExecutionRecord.Status.Refunded)
        );
        verifier.submitTEEProof(abi.encode(taskId), abi.encode(RESULT), signature, report);
    }

    function test_submitTEEProof_refusesAnUnknownTaskAndMalformedIds() public {
        bytes32 unknown = keccak256("no such task");
        vm.expectRevert(abi.encodeWithSelector(ITeeVerifier.VerifierUnknownTask.selector, unknown));
        verifier.submitTEEProof(abi.encode(unknown), abi.encode(RESULT), "", "");
        vm.expectRevert(abi.encodeWithSelector(ITeeVerifier.VerifierMalformed.selector, "taskId", 31));
        verifier.submitTEEProof(new bytes(31), abi.encode(RESULT), "", "");
        vm.expectRevert(abi.encodeWithSelector(ITeeVerifier.VerifierMalformed.selector, "resultHash", 64));
        verifier.submitTEEProof(abi.encode(unknown), new bytes(64), "", "");
        vm.expectRevert(abi.encodeWithSelector(ITeeVerifier.VerifierMalformed.selector, "taskId", 0));
        verifier.verifyResult("");
    }

    function test_verifyResult_isFalseForAnyTaskNotVerified() public {
        vm.assertFalse(verifier.verifyResult(abi.encode(keccak256("unknown"))), "unknown");
        bytes32 failed = _submit();
        vm.prank(tee);
        coordinator.failTask(failed, "out of memory");
        vm.assertFalse(verifier.verifyResult(abi.encode(failed)), "failed");
    }

    function test_zkProofs_areRefusedByName() public {
        bytes32 taskId = _submit();
        vm.expectRevert(ITeeVerifier.VerifierZkProofsNotSupported.selector);
        verifier.submitZKProof(abi.encode(taskId), hex"01", hex"02");
    }

    /// A TEE task is never proposed: a fraud proof against it is refused, naming its status.
    function test_submitFraudProof_refusesATeeTask() public {
        bytes32 taskId = _submit();
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimisticVerifier.VerifierNotProposed.selector, taskId, IExecutionRecord.Status.Submitted
            )
        );
        vm.prank(alice);
        verifier.submitFraudProof(abi.encode(taskId), hex"01", alice);
    }
}
