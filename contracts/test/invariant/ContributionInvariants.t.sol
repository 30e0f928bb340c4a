// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {DataCoopTest} from "../utils/DataCoopTest.sol";
import {ContributionHandler} from "./ContributionHandler.sol";
import {ITeePool} from "../../src/interfaces/ITeePool.sol";
import {IDataRegistry} from "../../src/interfaces/IDataRegistry.sol";
import {DataLiquidityPool} from "../../src/DataLiquidityPool.sol";
import {DataDaoToken} from "../../src/DataDaoToken.sol";
import {Rewards} from "../../src/libraries/Rewards.sol";

/// @notice Money and rewards stay consistent whatever order contributors, validators, DataDAO
///         owners and anyone else act in, over two DataDAOs sharing one validator pool.
contract ContributionInvariantsTest is DataCoopTest {
    ContributionHandler internal handler;

    function setUp() public override {
        super.setUp();
        _addTee(vm.addr(OTHER_TEE_KEY), 2);
        uint256[] memory keys = new uint256[](2);
        keys[0] = TEE_KEY;
        keys[1] = OTHER_TEE_KEY;
        (, DataLiquidityPool second) = _createDataDao("Second DAO", PROGRAM_DIGEST);
        DataLiquidityPool[] memory pools = new DataLiquidityPool[](2);
        pools[0] = dlp;
        pools[1] = second;
        handler = new ContributionHandler(registry, pool, pools, keys, address(this));
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

    /// Tokens paid never exceed a DataDAO's budget, and nothing leaves its pool except rewards.
    function invariant_rewardsStayWithinBudget() public view {
        for (uint256 i = 0; i < handler.dlpCount(); i++) {
            DataLiquidityPool each = handler.dlps(i);
            uint256 paid = handler.rewardsPaid(each.dlpId());
            vm.assertLe(paid, REWARD_BUDGET, "within budget");
            vm.assertEq(DataDaoToken(each.token()).balanceOf(address(each)) + paid, REWARD_BUDGET, "budget conserved");
        }
    }

    /// A file has at most one paying proof per DataDAO, so there is no best proof to pick, and a file
    /// rewarded is paid exactly what that proof scored at the rate its job pinned.
    function invariant_onePayingProofPerFileAndDataDao() public view {
        for (uint256 fileId = 1; fileId <= handler.filesAdded(); fileId++) {
            for (uint256 d = 0; d < handler.dlpCount(); d++) {
                DataLiquidityPool each = handler.dlps(d);
                uint256 paying;
                uint256 due;
                for (uint256 i = 1; i <= registry.fileProofsCount(fileId); i++) {
                    IDataRegistry.FileProof memory proof = registry.fileProofRecords(fileId, i);
                    uint256 rate = pool.jobRecords(proof.jobId).rewardPerFile;
                    if (proof.dlpId == each.dlpId() && Rewards.amount(rate, proof.score) > 0) {
                        paying++;
                        due = Rewards.amount(rate, proof.score);
                    }
                }
                vm.assertLe(paying, 1, "at most one paying proof");
                uint256 paid = each.fileRewards(fileId);
                if (paid != 0) vm.assertEq(paid, due, "paid what it scored at the pinned rate");
            }
        }
    }

    /// What the handler counted as must-not-happen never did.
    function invariant_noWrongProofAndEveryDueRewardPaid() public view {
        vm.assertEq(handler.wrongProofsAccepted(), 0, "a wrong proof was accepted");
        vm.assertEq(handler.dueRewardsRefused(), 0, "a due reward was refused");
        vm.assertEq(handler.undueRewardsPaid(), 0, "an undue reward was paid");
    }

    /// No file is rewarded twice.
    function invariant_noFileRewardedTwice() public view {
        for (uint256 fileId = 1; fileId <= handler.filesAdded(); fileId++) {
            for (uint256 d = 0; d < handler.dlpCount(); d++) {
                vm.assertLe(handler.rewardCount(fileId, handler.dlps(d).dlpId()), 1, "at most one reward per file");
            }
        }
    }
}
