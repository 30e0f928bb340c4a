// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {DataCoopTest} from "../utils/DataCoopTest.sol";
import {ContributionHandler} from "./ContributionHandler.sol";
import {ITeePool} from "../../src/interfaces/ITeePool.sol";
import {IDataRegistry} from "../../src/interfaces/IDataRegistry.sol";

/// @notice Money and rewards stay consistent whatever order contributors, validators and
///         anyone else act in.
contract ContributionInvariantsTest is DataCoopTest {
    ContributionHandler internal handler;

    function setUp() public override {
        super.setUp();
        _addTee(vm.addr(OTHER_TEE_KEY), 2);
        uint256[] memory keys = new uint256[](2);
        keys[0] = TEE_KEY;
        keys[1] = OTHER_TEE_KEY;
        handler = new ContributionHandler(registry, pool, dlp, keys, address(this));
    }

    /// @dev forge fuzzes only the handler.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// Refunds plus fees paid out plus what is still held equal what was paid in; what is held
    /// is exactly the open bids plus everyone's claimable balance.
    function invariant_etherIsConserved() public view {
        vm.assertEq(address(pool).balance, handler.paidIn() - handler.paidOut(), "balance = in - out");
        uint256 owed;
        for (uint256 jobId = 1; jobId <= pool.jobsCount(); jobId++) {
            ITeePool.Job memory job = pool.jobRecords(jobId);
            if (job.status == ITeePool.JobStatus.Submitted || job.status == ITeePool.JobStatus.Failed) {
                owed += job.bidAmount;
            }
        }
        for (uint256 i = 0; i < handler.actorsCount(); i++) {
            owed += pool.claimable(handler.actors(i));
        }
        for (uint256 i = 0; i < handler.teeCount(); i++) {
            owed += pool.claimable(vm.addr(handler.teeKeys(i)));
        }
        vm.assertEq(address(pool).balance, owed, "balance = open bids + claimable");
    }

    /// A validator's claimable balance is the fees of its completed jobs minus what it claimed.
    function invariant_validatorBalanceIsFeesMinusClaims() public view {
        for (uint256 i = 0; i < handler.teeCount(); i++) {
            address teeAddress = vm.addr(handler.teeKeys(i));
            vm.assertEq(
                pool.claimable(teeAddress) + handler.claimed(teeAddress),
                handler.feesEarned(teeAddress),
                "claimable + claimed = fees earned"
            );
        }
    }

    /// Tokens paid never exceed the budget, and nothing leaves the pool except rewards.
    function invariant_rewardsStayWithinBudget() public view {
        vm.assertLe(handler.rewardsPaid(), REWARD_BUDGET, "within budget");
        vm.assertEq(token.balanceOf(address(dlp)) + handler.rewardsPaid(), REWARD_BUDGET, "budget conserved");
    }

    /// A file has at most one proof scoring above zero for the DataDAO, so there is no best proof
    /// to pick, and a file with such a proof is rewarded exactly what that proof scored, if at all.
    function invariant_onePayingProofPerFile() public view {
        for (uint256 fileId = 1; fileId <= handler.filesAdded(); fileId++) {
            uint256 paying;
            uint256 score;
            for (uint256 i = 1; i <= registry.fileProofsCount(fileId); i++) {
                IDataRegistry.FileProof memory proof = registry.fileProofRecords(fileId, i);
                if (proof.score > 0) {
                    paying++;
                    score = proof.score;
                }
            }
            vm.assertLe(paying, 1, "at most one paying proof");
            uint256 paid = dlp.fileRewards(fileId);
            if (paid != 0) vm.assertEq(paid, REWARD_PER_FILE * score / SCORE_ONE, "paid what it scored");
        }
    }

    /// No file is rewarded twice.
    function invariant_noFileRewardedTwice() public view {
        for (uint256 fileId = 1; fileId <= handler.filesAdded(); fileId++) {
            vm.assertLe(handler.rewardCount(fileId), 1, "at most one reward per file");
        }
    }
}
