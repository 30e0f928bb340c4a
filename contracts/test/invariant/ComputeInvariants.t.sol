// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {ComputeTest} from "../compute/ComputeTest.sol";
import {TestToken} from "../utils/TestToken.sol";
import {ComputeHandler} from "./ComputeHandler.sol";
import {IReadsLedger} from "../../src/interfaces/IReadsLedger.sol";
import {ISettlement} from "../../src/interfaces/compute/ISettlement.sol";
import {IExecutionRecord} from "../../src/interfaces/compute/IExecutionRecord.sol";

/// @notice Whatever order requesters, workers and payees act in, the Settlement holds exactly what it
///         owes: every escrow is held, paid out or refunded, and the three add up to what was deposited.
contract ComputeInvariantsTest is ComputeTest {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    ComputeHandler internal handler;
    TestToken internal payToken;
    address internal otherOwner = vm.addr(0xD2D2);
    address internal carol = vm.addr(0xCA401);

    function setUp() public override {
        super.setUp();
        uint256 otherDlp = _createDataDaoOwnedBy(otherOwner, "Other DAO");
        uint256 otherRefiner = _addRefiner(otherDlp, schemaId);
        _addService(otherDlp, service);
        _addService(otherDlp, tee);
        _allow(otherDlp, ALGORITHM);
        address otherTee = vm.addr(OTHER_TEE_KEY);
        _addTee(otherTee, 2);
        _addService(dlpId, otherTee); // trusted by the first DataDAO only
        uint256 carolFile = _refinedFile(carol, "ipfs://carol", otherRefiner);
        payToken = new TestToken("USD", 0);

        ComputeHandler.Setup memory s;
        s.coordinator = coordinator;
        s.verifier = verifier;
        s.settlement = settlement;
        s.pool = pool;
        s.payToken = payToken;
        s.algorithm = ALGORITHM;
        s.requesters = new address[](2);
        s.requesters[0] = builder;
        s.requesters[1] = vm.addr(0xB17E);
        s.workerKeys = _uints(TEE_KEY, OTHER_TEE_KEY);
        s.refinerIds = _uints(refinerId, otherRefiner);
        s.refinedFiles = new uint256[][](2);
        s.refinedFiles[0] = _uints(aliceFile, bobFile);
        s.refinedFiles[1] = _uints(carolFile);
        s.permissions = new uint256[][](2);
        s.permissions[0] = _uints(
            _grantPermission(address(0), refinerId, 0.3 ether + 7, address(0)),
            _grantPermission(address(0), otherRefiner, 1001, address(0))
        );
        s.permissions[1] = _uints(
            _grantPermission(address(0), refinerId, 5e18 + 3, address(payToken)),
            _grantPermission(address(0), otherRefiner, 999, address(payToken))
        );
        s.accounts = new address[](10);
        s.accounts[0] = alice;
        s.accounts[1] = bob;
        s.accounts[2] = carol;
        s.accounts[3] = treasury;
        s.accounts[4] = daoOwner;
        s.accounts[5] = otherOwner;
        s.accounts[6] = tee;
        s.accounts[7] = otherTee;
        s.accounts[8] = s.requesters[0];
        s.accounts[9] = s.requesters[1];
        handler = new ComputeHandler(s);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](7);
        selectors[0] = ComputeHandler.submit.selector;
        selectors[1] = ComputeHandler.prove.selector;
        selectors[2] = ComputeHandler.fail.selector;
        selectors[3] = ComputeHandler.refund.selector;
        selectors[4] = ComputeHandler.claimReads.selector;
        selectors[5] = ComputeHandler.claim.selector;
        selectors[6] = ComputeHandler.warp.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector(address(handler), selectors);
    }

    /// Paid out + refunded + held == deposited, and the balance is exactly what is still owed.
    function invariant_escrowIsConserved() public view {
        address[2] memory tokens = [address(0), address(payToken)];
        for (uint256 t = 0; t < tokens.length; t++) {
            address token = tokens[t];
            (uint256 held, uint256 paid, uint256 refunded, uint256 unclaimedCuts) = _escrowTotals(token);
            vm.assertEq(held + paid + refunded, handler.deposited(token), "held + paid + refunded = deposited");
            uint256 balance = token == address(0) ? address(settlement).balance : payToken.balanceOf(address(settlement));
            vm.assertEq(balance, handler.deposited(token) - handler.claimedOut(token), "balance = in - out");
            uint256 earnings = 0;
            address[] memory accounts = handler.allAccounts();
            for (uint256 i = 0; i < accounts.length; i++) {
                earnings += settlement.earnings(token, accounts[i]);
            }
            vm.assertEq(balance, held + earnings + unclaimedCuts, "balance = held + earnings + unclaimed cuts");
        }
    }

    /// A task's record and its escrow agree: verified is paid, refunded is refunded, anything else held.
    function invariant_recordAndEscrowAgree() public view {
        for (uint256 i = 0; i < handler.taskCount(); i++) {
            bytes32 taskId = handler.taskIds(i);
            IExecutionRecord.Status status = record.statusOf(taskId);
            ISettlement.EscrowStatus escrow = settlement.escrows(taskId).status;
            if (status == IExecutionRecord.Status.Verified) {
                vm.assertEq(uint256(escrow), uint256(ISettlement.EscrowStatus.Paid), "verified is paid");
            } else if (status == IExecutionRecord.Status.Refunded) {
                vm.assertEq(uint256(escrow), uint256(ISettlement.EscrowStatus.Refunded), "refunded");
            } else {
                vm.assertEq(uint256(escrow), uint256(ISettlement.EscrowStatus.Held), "otherwise held");
            }
        }
    }

    /// Only the assigned worker ever proves, and no submitted task is refunded before its deadline.
    function invariant_noWrongWorkerOrEarlyRefund() public view {
        vm.assertEq(handler.wrongWorkerProofsAccepted(), 0, "only the assigned worker proves");
        vm.assertEq(handler.earlyRefundsAccepted(), 0, "no refund before the deadline");
    }

    function _escrowTotals(address token)
        internal
        view
        returns (uint256 held, uint256 paid, uint256 refunded, uint256 unclaimedCuts)
    {
        uint256[] memory refiners = handler.allRefiners();
        for (uint256 i = 0; i < handler.taskCount(); i++) {
            bytes32 taskId = handler.taskIds(i);
            ISettlement.Escrow memory escrow = settlement.escrows(taskId);
            if (escrow.token != token) continue;
            uint256 amount = escrow.workerFee + escrow.dataPrice;
            if (escrow.status == ISettlement.EscrowStatus.Held) held += amount;
            if (escrow.status == ISettlement.EscrowStatus.Paid) paid += amount;
            if (escrow.status == ISettlement.EscrowStatus.Refunded) refunded += amount;
            for (uint256 r = 0; r < refiners.length; r++) {
                IReadsLedger.Committed memory committed = settlement.committedReads(taskId, refiners[r]);
                unclaimedCuts += committed.contributorsCut - committed.paid;
            }
        }
    }
}
