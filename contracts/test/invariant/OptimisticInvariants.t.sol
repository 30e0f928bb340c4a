// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {ReadsTree} from "../utils/ReadsTree.sol";
import {OptimisticTest} from "../compute/optimistic/OptimisticTest.sol";
import {OptimisticHandler} from "./OptimisticHandler.sol";
import {IDisputeGame} from "../../src/interfaces/compute/IDisputeGame.sol";
import {IExecutionRecord} from "../../src/interfaces/compute/IExecutionRecord.sol";

/// @notice Whatever order workers, challengers, referees and passers-by act in, the OP mode's bonds
///         are conserved (paid out + burnt + held == deposited), only a verified task's result is
///         `verifyResult` true and every verified OP result stood through its window, an honestly
///         decided dispute is never won by the dishonest side, and no dispute exceeds its move bound.
contract OptimisticInvariantsTest is OptimisticTest {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    OptimisticHandler internal handler;

    function setUp() public override {
        super.setUp();
        OptimisticHandler.Setup memory s;
        s.coordinator = coordinator;
        s.verifier = verifier;
        s.game = game;
        s.registry = challengers;
        s.pool = pool;
        s.request = _opRequest();
        s.roots = ReadsTree.roots(_readsOfBoth());
        s.requester = builder;
        s.workerKey = TEE_KEY;
        s.dlpId = dlpId;
        s.challengerKeys = _uints(CHALLENGER_KEY, REFEREE1_KEY, REFEREE2_KEY);
        s.refereeKeys = _uints(REFEREE1_KEY, REFEREE2_KEY, REFEREE3_KEY);
        s.accounts = new address[](5);
        (s.accounts[0], s.accounts[1], s.accounts[2], s.accounts[3], s.accounts[4]) =
        (tee, challenger, referee1, referee2, referee3);
        handler = new OptimisticHandler(s);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = OptimisticHandler.propose.selector;
        selectors[1] = OptimisticHandler.challenge.selector;
        selectors[2] = OptimisticHandler.move.selector;
        selectors[3] = OptimisticHandler.decide.selector;
        selectors[4] = OptimisticHandler.timeout.selector;
        selectors[5] = OptimisticHandler.finalize.selector;
        selectors[6] = OptimisticHandler.claim.selector;
        selectors[7] = OptimisticHandler.leave.selector;
        selectors[8] = OptimisticHandler.join.selector;
        selectors[9] = OptimisticHandler.roll.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector(address(handler), selectors);
    }

    /// Paid out (claimed, left, or credited and not yet claimed) + burnt + held == deposited, and each
    /// contract's balance is exactly what it accounts for.
    function invariant_bondsAreConserved() public view {
        uint256 held = game.heldBonds() + challengers.totalBonds();
        vm.assertEq(
            handler.paidOut() + game.owed() + game.burnt() + held, handler.deposited(), "paid + burnt + held = in"
        );
        vm.assertEq(address(game).balance, game.heldBonds() + game.owed() + game.burnt(), "the game's balance");
        vm.assertEq(address(challengers).balance, challengers.totalBonds(), "the registry's balance");
        uint256 owed = 0;
        address[] memory accounts = handler.accounts();
        for (uint256 i = 0; i < accounts.length; i++) {
            owed += game.earnings(accounts[i]);
        }
        vm.assertEq(owed, game.owed(), "owed = everyone's earnings");
    }

    /// `verifyResult` is true exactly for verified tasks, and a verified OP result was accepted after
    /// its window; a held bond belongs to a result still open or disputed.
    function invariant_onlyVerifiedTasksVerify() public view {
        for (uint256 i = 0; i < handler.taskCount(); i++) {
            bytes32 taskId = handler.taskIds(i);
            bool verified = record.statusOf(taskId) == IExecutionRecord.Status.Verified;
            vm.assertEq(verifier.verifyResult(abi.encode(taskId)), verified, "verifyResult = verified");
            IDisputeGame.Proposal memory proposal = game.proposals(taskId);
            if (verified) {
                vm.assertEq(uint256(proposal.status), uint256(IDisputeGame.ProposalStatus.Accepted), "accepted");
            }
            if (proposal.bond != 0) {
                vm.assertTrue(
                    proposal.status == IDisputeGame.ProposalStatus.Open
                        || proposal.status == IDisputeGame.ProposalStatus.Disputed,
                    "a bond is held only for a live result"
                );
            }
        }
    }

    function invariant_honestDecisionsAndBoundedDisputes() public view {
        vm.assertEq(handler.dishonestWins(), 0, "an honest decision never lets the dishonest side win");
        vm.assertEq(handler.movesAboveBound(), 0, "no dispute beyond ceil(log2 L) + 1 moves");
    }
}
