// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../../utils/Vm.sol";
import {OptimisticTest} from "./OptimisticTest.sol";
import {ChallengerRegistry} from "../../../src/compute/optimistic/ChallengerRegistry.sol";
import {IChallengerRegistry} from "../../../src/interfaces/compute/IChallengerRegistry.sol";

/// @notice Who becomes a challenger, with what bond, and when it gets the bond back.
contract ChallengerRegistryTest is OptimisticTest {
    address internal newcomer = vm.addr(STRANGER_KEY);

    function setUp() public override {
        super.setUp();
        vm.deal(newcomer, 1 ether);
    }

    function test_admitAndJoin_makeAValidatorAChallenger() public {
        _addTee(newcomer, 9);
        vm.expectEmit(true, true, false, true, address(challengers));
        emit IChallengerRegistry.ChallengerAdmitted(dlpId, newcomer);
        vm.prank(daoOwner);
        challengers.admit(dlpId, newcomer);
        vm.assertFalse(challengers.isChallenger(dlpId, newcomer), "not before its bond");
        vm.expectEmit(true, true, false, true, address(challengers));
        emit IChallengerRegistry.ChallengerJoined(dlpId, newcomer, bond);
        vm.prank(newcomer);
        challengers.join{value: bond}(dlpId);
        vm.assertTrue(challengers.isChallenger(dlpId, newcomer), "a challenger");
        vm.assertEq(challengers.challengers(dlpId, newcomer).bond, bond, "bond");
        pool.removeTee(newcomer);
        vm.assertFalse(challengers.isChallenger(dlpId, newcomer), "not once it stops validating");
    }

    function test_admit_isTheDataDaoOwnersForValidatorsOnce() public {
        vm.expectRevert(
            abi.encodeWithSelector(IChallengerRegistry.ChallengerRegistryNotDataDaoOwner.selector, dlpId, newcomer)
        );
        vm.prank(newcomer); // admitting itself
        challengers.admit(dlpId, newcomer);
        vm.expectRevert(abi.encodeWithSelector(IChallengerRegistry.ChallengerRegistryNotValidator.selector, newcomer));
        vm.prank(daoOwner);
        challengers.admit(dlpId, newcomer);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengerRegistry.ChallengerRegistryAlreadyAdmitted.selector, dlpId, challenger)
        );
        vm.prank(daoOwner);
        challengers.admit(dlpId, challenger);
    }

    function test_join_refusesTheUnadmittedAWrongBondAndTwice() public {
        _addTee(newcomer, 9);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengerRegistry.ChallengerRegistryNotAdmitted.selector, dlpId, newcomer)
        );
        vm.prank(newcomer);
        challengers.join{value: bond}(dlpId);
        vm.prank(daoOwner);
        challengers.admit(dlpId, newcomer);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengerRegistry.ChallengerRegistryWrongBond.selector, bond - 1, bond)
        );
        vm.prank(newcomer);
        challengers.join{value: bond - 1}(dlpId);
        vm.prank(newcomer);
        challengers.join{value: bond}(dlpId);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengerRegistry.ChallengerRegistryAlreadyJoined.selector, dlpId, newcomer)
        );
        vm.prank(newcomer);
        challengers.join{value: bond}(dlpId);
        // Admitted while validating, removed from the TeePool before joining: refused.
        address dropped = vm.addr(0x5745);
        _addTee(dropped, 10);
        vm.prank(daoOwner);
        challengers.admit(dlpId, dropped);
        pool.removeTee(dropped);
        vm.deal(dropped, bond);
        vm.expectRevert(abi.encodeWithSelector(IChallengerRegistry.ChallengerRegistryNotValidator.selector, dropped));
        vm.prank(dropped);
        challengers.join{value: bond}(dlpId);
    }

    function test_leave_returnsTheBondUnlessLockedInADispute() public {
        bytes32 taskId = _disputed(RESULT, WRONG);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengerRegistry.ChallengerRegistryBondLocked.selector, dlpId, challenger, taskId)
        );
        vm.prank(challenger);
        challengers.leave(dlpId);

        uint256 before = referee1.balance;
        vm.expectEmit(true, true, false, true, address(challengers));
        emit IChallengerRegistry.ChallengerLeft(dlpId, referee1, bond);
        vm.prank(referee1);
        challengers.leave(dlpId);
        vm.assertEq(referee1.balance - before, bond, "its bond back");
        vm.assertFalse(challengers.isChallenger(dlpId, referee1), "gone");
        vm.expectRevert(
            abi.encodeWithSelector(IChallengerRegistry.ChallengerRegistryNotJoined.selector, dlpId, referee1)
        );
        vm.prank(referee1);
        challengers.leave(dlpId);
        vm.prank(referee1); // still admitted: it may come back
        challengers.join{value: bond}(dlpId);
    }

    function test_bondsMoveOnlyThroughTheGame() public {
        vm.expectRevert(abi.encodeWithSelector(IChallengerRegistry.ChallengerRegistryNotGame.selector, address(this)));
        challengers.lock(dlpId, challenger, bytes32(uint256(1)));
        vm.expectRevert(abi.encodeWithSelector(IChallengerRegistry.ChallengerRegistryNotGame.selector, address(this)));
        challengers.release(dlpId, challenger, true, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IChallengerRegistry.ChallengerRegistryNotGame.selector, address(this)));
        challengers.slash(dlpId, challenger);
        vm.expectRevert(IChallengerRegistry.ChallengerRegistryAlreadyBound.selector);
        challengers.bindGame(address(this));

        ChallengerRegistry fresh = new ChallengerRegistry(refinerRegistry, pool, bond);
        vm.expectRevert(abi.encodeWithSelector(IChallengerRegistry.ChallengerRegistryNotDeployer.selector, alice));
        vm.prank(alice);
        fresh.bindGame(alice);
        vm.expectRevert(IChallengerRegistry.ChallengerRegistryZeroAddress.selector);
        fresh.bindGame(address(0));
    }

    /// A challenger whose bond is locked in one dispute cannot open another on it.
    function test_lock_oneDisputeAtATimePerChallenger() public {
        bytes32 first = _disputed(RESULT, WRONG);
        bytes32 second = _submitOp();
        _propose(second, RESULT);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengerRegistry.ChallengerRegistryBondLocked.selector, dlpId, challenger, first)
        );
        _challenge(second, WRONG);
    }
}
