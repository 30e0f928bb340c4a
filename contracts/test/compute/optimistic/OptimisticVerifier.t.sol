// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../../utils/Vm.sol";
import {OptimisticTest} from "./OptimisticTest.sol";
import {IDisputeGame} from "../../../src/interfaces/compute/IDisputeGame.sol";
import {ITeeVerifier} from "../../../src/interfaces/compute/ITeeVerifier.sol";
import {IOptimisticVerifier} from "../../../src/interfaces/compute/IOptimisticVerifier.sol";
import {ITaskCoordinator} from "../../../src/interfaces/compute/ITaskCoordinator.sol";
import {IExecutionRecord} from "../../../src/interfaces/compute/IExecutionRecord.sol";
import {ISettlement} from "../../../src/interfaces/compute/ISettlement.sol";

/// @notice An OP task from its proposal to its end: the window, finalize, and who may do what.
contract OptimisticVerifierTest is OptimisticTest {
    function test_submitOptimisticResult_recordsItProposedAndOpensTheWindow() public {
        bytes32 taskId = _submitOp();
        vm.expectEmit(true, true, false, true, address(verifier));
        emit IOptimisticVerifier.OptimisticResultProposed(taskId, tee, RESULT, WORKER_TRACE, LENGTH);
        _propose(taskId, RESULT);

        IExecutionRecord.Record memory written = record.records(taskId);
        vm.assertEq(uint256(written.status), uint256(IExecutionRecord.Status.Proposed), "proposed");
        vm.assertEq(written.resultHash, RESULT, "result");
        vm.assertFalse(verifier.verifyResult(abi.encode(taskId)), "not verified in its window");
        IDisputeGame.Proposal memory proposal = game.proposals(taskId);
        vm.assertEq(proposal.windowEnd, block.number + config.challengeWindow, "window");
        vm.assertGe(config.challengeWindow, 12, "the seed's window");
        vm.assertLe(config.challengeWindow, 24, "the seed's window");
        vm.assertEq(proposal.bond, config.workerBond, "bond held");
        vm.assertEq(proposal.traceRoot, WORKER_TRACE, "trace root");
        vm.assertEq(proposal.initialState, verifier.initialStateOf(taskId, written.dataRoot), "state 0");
        vm.assertEq(address(game).balance, config.workerBond, "the game holds the bond");
        vm.assertEq(uint256(settlement.escrows(taskId).status), uint256(ISettlement.EscrowStatus.Held), "unpaid");
    }

    function test_finalize_afterAnUnchallengedWindow_verifiesAndPaysAsTeeDoes() public {
        bytes32 taskId = _submitOp();
        _propose(taskId, RESULT);
        _rollPastWindow(taskId);
        vm.expectEmit(true, false, false, true, address(verifier));
        emit IOptimisticVerifier.OptimisticResultAccepted(taskId, RESULT);
        vm.prank(address(0xF1A1)); // anyone
        verifier.finalize(taskId);

        vm.assertTrue(verifier.verifyResult(abi.encode(taskId)), "verified");
        vm.assertEq(uint256(record.statusOf(taskId)), uint256(IExecutionRecord.Status.Verified), "status");
        vm.assertEq(uint256(settlement.escrows(taskId).status), uint256(ISettlement.EscrowStatus.Paid), "paid");
        vm.assertEq(settlement.earnings(address(0), tee), WORKER_FEE, "the worker's fee");
        _claimTaskReads(taskId, _readsOfBoth()); // the contributors are paid by the same reads
        vm.assertEq(uint256(game.proposals(taskId).status), uint256(IDisputeGame.ProposalStatus.Accepted), "closed");
        uint256 before = tee.balance;
        vm.prank(tee);
        game.claim();
        vm.assertEq(tee.balance - before, config.workerBond, "the bond back");
    }

    function test_finalize_refusesBeforeTheWindowClosesAndTwice() public {
        bytes32 taskId = _submitOp();
        _propose(taskId, RESULT);
        uint64 windowEnd = game.proposals(taskId).windowEnd;
        vm.roll(windowEnd); // the last block of the window
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameWindowOpen.selector, taskId, windowEnd));
        verifier.finalize(taskId);
        vm.roll(windowEnd + 1);
        verifier.finalize(taskId);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimisticVerifier.VerifierNotProposed.selector, taskId, IExecutionRecord.Status.Verified
            )
        );
        verifier.finalize(taskId);
    }

    function test_finalize_refusesADisputedTask() public {
        bytes32 taskId = _disputed(RESULT, WRONG);
        _rollPastWindow(taskId);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDisputeGame.DisputeGameWrongStatus.selector, taskId, IDisputeGame.ProposalStatus.Disputed
            )
        );
        verifier.finalize(taskId);
        vm.assertFalse(verifier.verifyResult(abi.encode(taskId)), "not verified while disputed");
    }

    function test_finalize_refusesATeeTaskAndAnUnknownOne() public {
        bytes32 teeTask = _submit();
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimisticVerifier.VerifierNotProposed.selector, teeTask, IExecutionRecord.Status.Submitted
            )
        );
        verifier.finalize(teeTask);
        vm.expectRevert(abi.encodeWithSelector(ITeeVerifier.VerifierUnknownTask.selector, bytes32(uint256(7))));
        verifier.finalize(bytes32(uint256(7)));
    }

    function test_submitOptimisticResult_isTheWorkersWithItsBondOnly() public {
        bytes32 taskId = _submitOp();
        bytes memory report = abi.encode(_report(taskId, RESULT, _readsOfBoth()));
        bytes memory signature = _signResult(TEE_KEY, verifier, taskId, RESULT, report);
        uint256 workerBond = config.workerBond;
        vm.deal(builder, 10 ether);
        vm.expectRevert(abi.encodeWithSelector(IOptimisticVerifier.VerifierNotWorker.selector, taskId, builder));
        vm.prank(builder); // a relayer would post someone else's bond and name the trace
        verifier.submitOptimisticResult{value: workerBond}(
            abi.encode(taskId), abi.encode(RESULT), signature, report, WORKER_TRACE, LENGTH
        );
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameWrongBond.selector, workerBond - 1, workerBond));
        vm.prank(tee);
        verifier.submitOptimisticResult{value: workerBond - 1}(
            abi.encode(taskId), abi.encode(RESULT), signature, report, WORKER_TRACE, LENGTH
        );
        vm.expectRevert(IDisputeGame.DisputeGameZeroTraceLength.selector);
        vm.prank(tee);
        verifier.submitOptimisticResult{value: workerBond}(
            abi.encode(taskId), abi.encode(RESULT), signature, report, WORKER_TRACE, 0
        );
        // The TEE checks hold: another validator's signature is refused.
        _addTee(vm.addr(OTHER_TEE_KEY), 2);
        bytes memory forged = _signResult(OTHER_TEE_KEY, verifier, taskId, RESULT, report);
        vm.expectRevert(abi.encodeWithSelector(ITeeVerifier.VerifierWrongSigner.selector, vm.addr(OTHER_TEE_KEY), tee));
        vm.prank(tee);
        verifier.submitOptimisticResult{value: workerBond}(
            abi.encode(taskId), abi.encode(RESULT), forged, report, WORKER_TRACE, LENGTH
        );
        vm.assertEq(uint256(record.statusOf(taskId)), uint256(IExecutionRecord.Status.Submitted), "unchanged");
    }

    function test_modes_doNotCross() public {
        bytes32 opTask = _submitOp();
        bytes memory report = abi.encode(_report(opTask, RESULT, _readsOfBoth()));
        bytes memory signature = _signResult(TEE_KEY, verifier, opTask, RESULT, report);
        vm.expectRevert(
            abi.encodeWithSelector(ITeeVerifier.VerifierWrongMode.selector, opTask, IExecutionRecord.VerifyMode.OP)
        );
        verifier.submitTEEProof(abi.encode(opTask), abi.encode(RESULT), signature, report);

        bytes32 teeTask = _submit();
        report = abi.encode(_report(teeTask, RESULT, _readsOfBoth()));
        signature = _signResult(TEE_KEY, verifier, teeTask, RESULT, report);
        uint256 workerBond = config.workerBond;
        vm.expectRevert(
            abi.encodeWithSelector(ITeeVerifier.VerifierWrongMode.selector, teeTask, IExecutionRecord.VerifyMode.TEE)
        );
        vm.prank(tee);
        verifier.submitOptimisticResult{value: workerBond}(
            abi.encode(teeTask), abi.encode(RESULT), signature, report, WORKER_TRACE, LENGTH
        );
    }

    function test_submitOptimisticResult_refusesASecondProposalAndAfterTheDeadline() public {
        bytes32 taskId = _submitOp();
        _propose(taskId, RESULT);
        bytes memory report = abi.encode(_report(taskId, WRONG, _readsOfBoth()));
        bytes memory signature = _signResult(TEE_KEY, verifier, taskId, WRONG, report);
        uint256 workerBond = config.workerBond;
        vm.expectRevert(
            abi.encodeWithSelector(ITeeVerifier.VerifierNotSubmitted.selector, taskId, IExecutionRecord.Status.Proposed)
        );
        vm.prank(tee);
        verifier.submitOptimisticResult{value: workerBond}(
            abi.encode(taskId), abi.encode(WRONG), signature, report, WORKER_TRACE, LENGTH
        );

        bytes32 late = _submitOp();
        uint64 deadline = coordinator.tasks(late).deadline;
        report = abi.encode(_report(late, RESULT, _readsOfBoth()));
        signature = _signResult(TEE_KEY, verifier, late, RESULT, report);
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(ITeeVerifier.VerifierDeadlinePassed.selector, late, deadline));
        vm.prank(tee);
        verifier.submitOptimisticResult{value: workerBond}(
            abi.encode(late), abi.encode(RESULT), signature, report, WORKER_TRACE, LENGTH
        );
    }

    /// A proposed task is not refunded at its deadline: its result is in its window, not missing.
    function test_refund_refusesAProposedTask() public {
        bytes32 taskId = _submitOp();
        _propose(taskId, RESULT);
        vm.warp(coordinator.tasks(taskId).deadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITaskCoordinator.TaskCoordinatorNotSubmitted.selector, taskId, IExecutionRecord.Status.Proposed
            )
        );
        coordinator.refund(taskId);
        _rollPastWindow(taskId);
        verifier.finalize(taskId); // the window may end after the task's deadline
        vm.assertTrue(verifier.verifyResult(abi.encode(taskId)), "verified");
    }

    function test_submitFraudProof_refusesWhoIsNotAChallengerOfTheTasksData() public {
        bytes32 taskId = _submitOp();
        _propose(taskId, RESULT);
        bytes memory evidence = _evidence(dlpId, WRONG);

        // Someone sending it for the challenger: the bond locked is the challenger's own call.
        vm.expectRevert(abi.encodeWithSelector(IOptimisticVerifier.VerifierNotChallenger.selector, alice, challenger));
        vm.prank(alice);
        verifier.submitFraudProof(abi.encode(taskId), evidence, challenger);

        // An active validator never admitted.
        address stranger = vm.addr(STRANGER_KEY);
        _addTee(stranger, 9);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameNotChallenger.selector, dlpId, stranger));
        vm.prank(stranger);
        verifier.submitFraudProof(abi.encode(taskId), evidence, stranger);

        // A challenger that left, and one whose validator was removed.
        vm.prank(referee2);
        challengers.leave(dlpId);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameNotChallenger.selector, dlpId, referee2));
        vm.prank(referee2);
        verifier.submitFraudProof(abi.encode(taskId), evidence, referee2);
        pool.removeTee(referee1);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameNotChallenger.selector, dlpId, referee1));
        vm.prank(referee1);
        verifier.submitFraudProof(abi.encode(taskId), evidence, referee1);

        // A challenger of a DataDAO the task does not read.
        uint256 otherDlp = _createDataDaoOwnedBy(vm.addr(0xD2D2), "Other DAO");
        _join(otherDlp, stranger);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameDataDaoNotRead.selector, taskId, otherDlp));
        vm.prank(stranger);
        verifier.submitFraudProof(abi.encode(taskId), _evidence(otherDlp, WRONG), stranger);

        // The worker against itself.
        _join(dlpId, tee);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameChallengerIsWorker.selector, tee));
        vm.prank(tee);
        verifier.submitFraudProof(abi.encode(taskId), evidence, tee);
    }

    function test_submitFraudProof_refusesMalformedOrAgreeingEvidence() public {
        bytes32 taskId = _submitOp();
        _propose(taskId, RESULT);
        vm.expectRevert(abi.encodeWithSelector(IOptimisticVerifier.VerifierMalformedEvidence.selector, 3));
        vm.prank(challenger);
        verifier.submitFraudProof(abi.encode(taskId), hex"010203", challenger);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameSameResult.selector, RESULT));
        vm.prank(challenger);
        verifier.submitFraudProof(abi.encode(taskId), _evidence(dlpId, RESULT), challenger);
        vm.expectRevert(abi.encodeWithSelector(ITeeVerifier.VerifierMalformed.selector, "taskId", 31));
        vm.prank(challenger);
        verifier.submitFraudProof(new bytes(31), _evidence(dlpId, WRONG), challenger);
    }

    function test_submitFraudProof_refusesAfterTheWindow() public {
        bytes32 taskId = _submitOp();
        _propose(taskId, RESULT);
        uint64 windowEnd = game.proposals(taskId).windowEnd;
        vm.roll(windowEnd + 1);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameWindowClosed.selector, taskId, windowEnd));
        _challenge(taskId, WRONG);
    }

    /// One dispute at a time: a second challenger waits; after a dispute the worker won, it may come.
    function test_submitFraudProof_isSequential() public {
        bytes32 taskId = _disputed(RESULT, WRONG);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDisputeGame.DisputeGameWrongStatus.selector, taskId, IDisputeGame.ProposalStatus.Disputed
            )
        );
        vm.prank(referee2);
        verifier.submitFraudProof(abi.encode(taskId), _evidence(dlpId, WRONG), referee2);

        _bisect(taskId, _honest(taskId, LENGTH), _diverging(taskId, LENGTH, 3, WRONG, "liar"));
        _decideHonestly(taskId, _honest(taskId, LENGTH));
        vm.prank(referee2);
        verifier.submitFraudProof(abi.encode(taskId), _evidence(dlpId, keccak256("another")), referee2);
        vm.assertEq(game.proposals(taskId).disputes, 2, "two disputes");
        vm.assertEq(game.disputes(taskId).challenger, referee2, "the second");
    }
}
