// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../../utils/Vm.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {OptimisticTest} from "./OptimisticTest.sol";
import {DisputeGame} from "../../../src/compute/optimistic/DisputeGame.sol";
import {IDisputeGame} from "../../../src/interfaces/compute/IDisputeGame.sol";
import {IChallengerRegistry} from "../../../src/interfaces/compute/IChallengerRegistry.sol";
import {IOptimisticVerifier} from "../../../src/interfaces/compute/IOptimisticVerifier.sol";
import {IExecutionRecord} from "../../../src/interfaces/compute/IExecutionRecord.sol";
import {ISettlement} from "../../../src/interfaces/compute/ISettlement.sol";

/// @notice Disputes: bisection, the referees' decision, timeouts, and where the bonds go.
contract DisputeGameTest is OptimisticTest {
    /// A wrong result is caught: bisected to the step it went wrong, decided by the referees, its
    /// worker slashed, the challenger and the referees paid, the task failed and refunded.
    function test_dispute_catchesAWrongResultAndSlashesTheWorker() public {
        bytes32 taskId = _disputed(WRONG, RESULT);
        IDisputeGame.Dispute memory opened = game.disputes(taskId);
        vm.assertEq(uint256(opened.phase), uint256(IDisputeGame.DisputePhase.Bisecting), "bisecting");
        vm.assertEq(opened.hi, LENGTH, "over the whole trace");
        vm.assertEq(challengers.challengers(dlpId, challenger).lockedIn, taskId, "the challenger's bond locked");

        Trace memory honest = _honest(taskId, LENGTH);
        _bisect(taskId, _diverging(taskId, LENGTH, 5, WRONG, "copied rows"), honest);
        IDisputeGame.Dispute memory step = game.disputes(taskId);
        vm.assertEq(uint256(step.phase), uint256(IDisputeGame.DisputePhase.Step), "one step left");
        vm.assertEq(step.lo, 4, "agreed up to the step before the lie");
        vm.assertEq(step.hi, 5, "disagreed from the lie");
        vm.assertLe(step.moves, game.maxMoves(LENGTH), "within the bound");

        uint256 workerBond = config.workerBond;
        uint256 burn = workerBond * config.burnBps / BPS;
        uint256 each = workerBond * config.refereeBps / BPS / 2;
        uint256 toChallenger = workerBond - burn - 2 * each;
        vm.expectEmit(true, true, true, true, address(game));
        emit IDisputeGame.DisputeResolved(taskId, challenger, tee, workerBond, toChallenger);
        _decideHonestly(taskId, honest);

        vm.assertEq(game.earnings(challenger), toChallenger, "the challenger's reward");
        vm.assertEq(game.earnings(referee1), each, "referee 1");
        vm.assertEq(game.earnings(referee3), each, "referee 3");
        vm.assertEq(game.earnings(tee), 0, "the worker gets nothing back");
        vm.assertEq(game.burnt(), burn, "burnt");
        IChallengerRegistry.Challenger memory standing = challengers.challengers(dlpId, challenger);
        vm.assertEq(standing.bond, bond, "its own bond kept");
        vm.assertEq(standing.lockedIn, bytes32(0), "and unlocked");
        vm.assertEq(standing.won, 1, "won");
        vm.assertTrue(standing.reputation == 1, "reputation up");
        vm.assertEq(standing.rewards, toChallenger, "rewards");

        vm.assertFalse(verifier.verifyResult(abi.encode(taskId)), "never verified");
        verifier.finalize(taskId); // at once: the window does not matter for a rejected result
        vm.assertFalse(verifier.verifyResult(abi.encode(taskId)), "still not verified");
        IExecutionRecord.Record memory failed = record.records(taskId);
        vm.assertEq(uint256(failed.status), uint256(IExecutionRecord.Status.Failed), "failed");
        vm.assertEq(failed.failureReason, "fraud proven", "why");
        coordinator.refund(taskId);
        vm.assertEq(uint256(settlement.escrows(taskId).status), uint256(ISettlement.EscrowStatus.Refunded), "refunded");
        vm.assertEq(settlement.earnings(address(0), builder), DATA_PRICE + WORKER_FEE, "the requester whole");
    }

    /// A false challenge loses the challenger's bond to the worker, whose window resumes and ends.
    function test_dispute_aFalseChallengeLosesTheChallengersBond() public {
        bytes32 taskId = _submitOp();
        _propose(taskId, RESULT);
        uint64 windowEnd = game.proposals(taskId).windowEnd;
        vm.roll(block.number + 3);
        _challenge(taskId, WRONG);
        uint256 openedAt = block.number;
        Trace memory honest = _honest(taskId, LENGTH);
        _bisect(taskId, honest, _diverging(taskId, LENGTH, 2, WRONG, "lazy enclave"));
        vm.roll(block.number + 5);
        uint256 registryBefore = address(challengers).balance;
        _decideHonestly(taskId, honest);

        uint256 burn = bond * config.burnBps / BPS;
        uint256 each = bond * config.refereeBps / BPS / 2;
        vm.assertEq(game.earnings(tee), bond - burn - 2 * each, "the worker gets the challenger's bond");
        vm.assertEq(registryBefore - address(challengers).balance, bond, "taken from the registry");
        IChallengerRegistry.Challenger memory standing = challengers.challengers(dlpId, challenger);
        vm.assertEq(standing.bond, 0, "slashed");
        vm.assertEq(standing.lost, 1, "lost");
        vm.assertTrue(standing.reputation == -2, "reputation down");
        vm.assertFalse(challengers.isChallenger(dlpId, challenger), "no longer a challenger until it rejoins");

        IDisputeGame.Proposal memory proposal = game.proposals(taskId);
        vm.assertEq(uint256(proposal.status), uint256(IDisputeGame.ProposalStatus.Open), "back in its window");
        vm.assertEq(proposal.windowEnd, windowEnd + (block.number - openedAt), "paused while disputed");
        vm.assertFalse(verifier.verifyResult(abi.encode(taskId)), "not before the window ends");
        _rollPastWindow(taskId);
        verifier.finalize(taskId);
        vm.assertTrue(verifier.verifyResult(abi.encode(taskId)), "verified");
        vm.assertEq(game.earnings(tee), bond - burn - 2 * each + config.workerBond, "its bond back too");
    }

    /// A trace of one step goes straight to the referees.
    function test_dispute_ofOneStep_needsNoMove() public {
        bytes32 taskId = _submitOp();
        _propose(taskId, RESULT, 1);
        _challenge(taskId, WRONG);
        IDisputeGame.Dispute memory d = game.disputes(taskId);
        vm.assertEq(uint256(d.phase), uint256(IDisputeGame.DisputePhase.Step), "a step");
        vm.assertEq(d.agreed, _initialOf(taskId), "from state 0");
        vm.assertEq(game.maxMoves(1), 0, "no move");
        _decideHonestly(taskId, _honest(taskId, 1));
        vm.assertEq(uint256(game.disputes(taskId).phase), uint256(IDisputeGame.DisputePhase.WorkerWon), "won");
    }

    function test_move_refusesOutOfTurnAndAfterTheDeadline() public {
        bytes32 taskId = _disputed(RESULT, WRONG);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameNotYourTurn.selector, taskId, challenger, tee));
        vm.prank(challenger); // the worker moves first
        game.move(taskId, bytes32(0), keccak256("x"));
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameNotYourTurn.selector, taskId, alice, tee));
        vm.prank(alice);
        game.move(taskId, bytes32(0), keccak256("x"));

        Trace memory honest = _honest(taskId, LENGTH);
        _moveBy(taskId, honest, honest);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameNotYourTurn.selector, taskId, tee, challenger));
        vm.prank(tee); // twice in a row
        game.move(taskId, bytes32(0), keccak256("x"));

        uint64 deadline = game.disputes(taskId).deadline;
        vm.roll(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameDeadlinePassed.selector, taskId, deadline));
        vm.prank(challenger);
        game.move(taskId, bytes32(0), keccak256("x"));
    }

    function test_timeout_losesTheDisputeForWhoeverMissedItsMove() public {
        // The worker stops answering: it loses, as if fraud were proven.
        bytes32 silentWorker = _disputed(RESULT, WRONG);
        uint64 deadline = game.disputes(silentWorker).deadline;
        vm.roll(deadline);
        vm.expectRevert(
            abi.encodeWithSelector(IDisputeGame.DisputeGameDeadlineNotPassed.selector, silentWorker, deadline)
        );
        game.timeout(silentWorker);
        vm.roll(deadline + 1);
        vm.expectEmit(true, true, false, true, address(game));
        emit IDisputeGame.TimedOut(silentWorker, tee, IDisputeGame.DisputePhase.Bisecting);
        vm.prank(address(0x7173)); // anyone
        game.timeout(silentWorker);
        uint256 burn = config.workerBond * config.burnBps / BPS;
        vm.assertEq(game.earnings(challenger), config.workerBond - burn, "no referee: the winner keeps their part");
        verifier.finalize(silentWorker);
        vm.assertEq(uint256(record.statusOf(silentWorker)), uint256(IExecutionRecord.Status.Failed), "failed");

        // The challenger (its bond kept after winning) stops answering: it loses its bond.
        bytes32 silentChallenger = _disputed(RESULT, WRONG);
        Trace memory honest = _honest(silentChallenger, LENGTH);
        _moveBy(silentChallenger, honest, honest);
        vm.roll(game.disputes(silentChallenger).deadline + 1);
        game.timeout(silentChallenger);
        vm.assertEq(
            uint256(game.disputes(silentChallenger).phase), uint256(IDisputeGame.DisputePhase.WorkerWon), "worker"
        );
        vm.assertEq(challengers.challengers(dlpId, challenger).bond, 0, "slashed");
        vm.expectRevert(
            abi.encodeWithSelector(
                IDisputeGame.DisputeGameWrongPhase.selector, silentChallenger, IDisputeGame.DisputePhase.WorkerWon
            )
        );
        game.timeout(silentChallenger);
    }

    /// Referees that do not decide leave the dispute undecided: both bonds back, the result rejected.
    function test_timeout_ofTheStepLeavesTheDisputeUndecided() public {
        bytes32 taskId = _disputed(RESULT, WRONG);
        _bisect(taskId, _honest(taskId, LENGTH), _diverging(taskId, LENGTH, 6, WRONG, "x"));
        vm.roll(game.disputes(taskId).deadline + 1);
        game.timeout(taskId);
        vm.assertEq(game.earnings(tee), config.workerBond, "the worker's bond back");
        vm.assertEq(challengers.challengers(dlpId, challenger).bond, bond, "the challenger's kept");
        vm.assertEq(challengers.challengers(dlpId, challenger).lockedIn, bytes32(0), "and unlocked");
        vm.assertEq(game.burnt(), 0, "nothing burnt");
        verifier.finalize(taskId);
        vm.assertEq(record.records(taskId).failureReason, "dispute undecided", "why");
        vm.assertFalse(verifier.verifyResult(abi.encode(taskId)), "never verified");
    }

    function test_decide_refusesPartiesOutsidersDuplicatesAndTooFew() public {
        bytes32 taskId = _disputed(RESULT, WRONG);
        Trace memory honest = _honest(taskId, LENGTH);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDisputeGame.DisputeGameWrongPhase.selector, taskId, IDisputeGame.DisputePhase.Bisecting
            )
        );
        game.decide(taskId, RESULT, new bytes[](2));
        _bisect(taskId, honest, _diverging(taskId, LENGTH, 1, WRONG, "x"));
        bytes32 after_ = _stateOf(honest, game.disputes(taskId).hi);

        bytes[] memory signatures = _refereeSignatures(taskId, after_, _uints(REFEREE1_KEY));
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameQuorumNotReached.selector, 1, 2));
        game.decide(taskId, after_, signatures);

        signatures = _refereeSignatures(taskId, after_, _uints(REFEREE1_KEY, TEE_KEY));
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameRefereeIsParty.selector, tee));
        game.decide(taskId, after_, signatures);
        signatures = _refereeSignatures(taskId, after_, _uints(CHALLENGER_KEY, REFEREE1_KEY));
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameRefereeIsParty.selector, challenger));
        game.decide(taskId, after_, signatures);

        signatures = _refereeSignatures(taskId, after_, _uints(REFEREE1_KEY, REFEREE1_KEY));
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameDuplicateReferee.selector, referee1));
        game.decide(taskId, after_, signatures);

        // A key that is no validator, and a validator that is neither challenger nor service of the DataDAO.
        signatures = _refereeSignatures(taskId, after_, _uints(REFEREE1_KEY, STRANGER_KEY));
        vm.expectRevert(
            abi.encodeWithSelector(IDisputeGame.DisputeGameNotReferee.selector, dlpId, vm.addr(STRANGER_KEY))
        );
        game.decide(taskId, after_, signatures);
        _addTee(vm.addr(STRANGER_KEY), 9);
        vm.expectRevert(
            abi.encodeWithSelector(IDisputeGame.DisputeGameNotReferee.selector, dlpId, vm.addr(STRANGER_KEY))
        );
        game.decide(taskId, after_, signatures);
        // A referee removed from the TeePool no longer counts.
        pool.removeTee(referee3);
        signatures = _refereeSignatures(taskId, after_, _uints(REFEREE1_KEY, REFEREE3_KEY));
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameNotReferee.selector, dlpId, referee3));
        game.decide(taskId, after_, signatures);

        // Signatures of another step's states do not recover to the referees.
        signatures = _refereeSignatures(taskId, keccak256("something else"), _uints(REFEREE1_KEY, REFEREE2_KEY));
        IDisputeGame.Dispute memory d = game.disputes(taskId);
        address recovered = ECDSA.recover(game.refereeStepDigest(taskId, d.lo, d.agreed, after_), signatures[0]);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameNotReferee.selector, dlpId, recovered));
        game.decide(taskId, after_, signatures);

        uint64 deadline = game.disputes(taskId).deadline;
        vm.roll(deadline + 1);
        signatures = _refereeSignatures(taskId, after_, _uints(REFEREE1_KEY, REFEREE2_KEY));
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameDeadlinePassed.selector, taskId, deadline));
        game.decide(taskId, after_, signatures);
    }

    /// The worker wins only if the referees reach its state: one matching neither party's still faults it.
    function test_decide_aStateMatchingNeitherFaultsTheWorker() public {
        bytes32 taskId = _disputed(WRONG, keccak256("also wrong"));
        _bisect(
            taskId,
            _diverging(taskId, LENGTH, 7, WRONG, "worker"),
            _diverging(taskId, LENGTH, 7, keccak256("also wrong"), "challenger")
        );
        bytes32 honestAfter = _stateOf(_honest(taskId, LENGTH), game.disputes(taskId).hi);
        game.decide(taskId, honestAfter, _refereeSignatures(taskId, honestAfter, _uints(REFEREE1_KEY, REFEREE2_KEY)));
        vm.assertEq(
            uint256(game.disputes(taskId).phase), uint256(IDisputeGame.DisputePhase.ChallengerWon), "worker wrong"
        );
    }

    function test_onlyTheVerifierProposesOpensAndCloses() public {
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameNotVerifier.selector, address(this)));
        game.propose(bytes32(uint256(1)), tee, bytes32(0), RESULT, WORKER_TRACE, LENGTH);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameNotVerifier.selector, address(this)));
        game.open(bytes32(uint256(1)), challenger, dlpId, WRONG, CHALLENGER_TRACE, LENGTH);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameNotVerifier.selector, address(this)));
        game.close(bytes32(uint256(1)));
        vm.deal(address(this), 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameNotRegistry.selector, address(this)));
        (bool sent,) = address(game).call{value: 1}("");
        sent; // the revert is what is checked
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameNothingToClaim.selector, alice));
        vm.prank(alice);
        game.claim();
    }

    function test_constructor_refusesABadConfig() public {
        IDisputeGame.Config memory bad = config;
        bad.burnBps = 9_001;
        bad.refereeBps = 1_000;
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameBadConfig.selector, "burnBps + refereeBps"));
        new DisputeGame(challengers, refinerRegistry, pool, bad);
        bad = config;
        bad.quorum = 0;
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameBadConfig.selector, "quorum"));
        new DisputeGame(challengers, refinerRegistry, pool, bad);
        bad = config;
        bad.challengeWindow = 0;
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.DisputeGameBadConfig.selector, "challengeWindow"));
        new DisputeGame(challengers, refinerRegistry, pool, bad);
    }

    function test_maxMoves_isCeilLog2PlusOne() public view {
        vm.assertEq(game.maxMoves(2), 2, "2");
        vm.assertEq(game.maxMoves(3), 3, "3");
        vm.assertEq(game.maxMoves(4), 3, "4");
        vm.assertEq(game.maxMoves(5), 4, "5");
        vm.assertEq(game.maxMoves(1024), 11, "1024");
        vm.assertEq(game.maxMoves(1025), 12, "1025");
    }

    /// Whatever the dishonest party answers, the honest one wins, bisection ends on one step within
    /// ceil(log2 L) + 1 moves, and it is the step where the dishonest trace first went wrong or later.
    function testFuzz_dispute_honestPartyWinsWithinTheBound(
        uint64 length,
        uint64 divergeAt,
        bool workerHonest,
        uint256 strategy
    ) public {
        length = uint64(_bound(length, 1, type(uint64).max));
        divergeAt = uint64(_bound(divergeAt, 1, length));
        bytes32 lie = keccak256(abi.encode("lie", strategy));
        bytes32 taskId = _submitOp();
        _propose(taskId, workerHonest ? RESULT : lie, length);
        vm.prank(challenger);
        verifier.submitFraudProof(
            abi.encode(taskId), abi.encode(dlpId, workerHonest ? lie : RESULT, CHALLENGER_TRACE, length), challenger
        );
        Trace memory honest = _honest(taskId, length);
        Trace memory liar = _diverging(taskId, length, divergeAt, lie, bytes32(strategy));
        while (game.disputes(taskId).phase == IDisputeGame.DisputePhase.Bisecting) {
            IDisputeGame.Dispute memory d = game.disputes(taskId);
            if (d.workerTurn == workerHonest) {
                _moveBy(taskId, honest, honest);
            } else {
                _lie(taskId, d, liar, strategy);
                strategy = uint256(keccak256(abi.encode(strategy)));
            }
        }
        IDisputeGame.Dispute memory step = game.disputes(taskId);
        vm.assertEq(step.hi, step.lo + 1, "one step");
        vm.assertLe(step.moves, game.maxMoves(length), "within ceil(log2 L) + 1 moves");
        vm.assertEq(step.agreed, _stateOf(honest, step.lo), "agreed on an honest state");
        _decideHonestly(taskId, honest);
        IDisputeGame.DisputePhase expected =
            workerHonest ? IDisputeGame.DisputePhase.WorkerWon : IDisputeGame.DisputePhase.ChallengerWon;
        vm.assertEq(uint256(game.disputes(taskId).phase), uint256(expected), "the honest party won");
    }

    /// @dev The dishonest party answers from its trace, or (by `strategy`) agrees with whatever it was
    ///      shown, or gives random states.
    function _lie(bytes32 taskId, IDisputeGame.Dispute memory d, Trace memory liar, uint256 strategy) private {
        uint256 style = strategy % 3;
        if (style == 0) {
            bytes32 previous = d.mid != 0 ? d.midState : bytes32(0);
            (uint64 lo, uint64 hi) = d.mid != 0 ? (d.mid, d.hi) : (d.lo, d.hi);
            bytes32 midpoint = hi - lo > 1 ? keccak256(abi.encode(strategy, "mid")) : bytes32(0);
            vm.prank(d.workerTurn ? tee : challenger);
            game.move(taskId, previous, midpoint);
        } else if (style == 1) {
            vm.prank(d.workerTurn ? tee : challenger);
            game.move(taskId, keccak256(abi.encode(strategy, "previous")), keccak256(abi.encode(strategy, "mid")));
        } else {
            _moveBy(taskId, liar, liar);
        }
    }
}
