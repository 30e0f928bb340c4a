// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {vm} from "../utils/Vm.sol";
import {DataRegistry} from "../../src/DataRegistry.sol";
import {TeePool} from "../../src/TeePool.sol";
import {DataLiquidityPool} from "../../src/DataLiquidityPool.sol";
import {ITeePool} from "../../src/interfaces/ITeePool.sol";

/// @notice Drives the contribution flow in random orders for the invariant suite and keeps
///         ghost totals of what went in and out. Inputs are bounded, not assumed away.
contract ContributionHandler {
    DataRegistry public immutable registry;
    TeePool public immutable pool;
    DataLiquidityPool public immutable dlp;
    uint256 public immutable dlpId;
    address public immutable maintainer;
    address public immutable daoOwner;

    uint256[] public teeKeys;
    address[] public actors;

    uint256 public paidIn;
    uint256 public paidOut;
    uint256 public rewardsPaid;
    mapping(address tee => uint256 amount) public feesEarned;
    mapping(address account => uint256 amount) public claimed;
    mapping(uint256 fileId => uint256 count) public rewardCount;
    uint256 public filesAdded;

    constructor(
        DataRegistry registry_,
        TeePool pool_,
        DataLiquidityPool dlp_,
        uint256[] memory teeKeys_,
        address maintainer_
    ) {
        registry = registry_;
        pool = pool_;
        dlp = dlp_;
        dlpId = dlp_.dlpId();
        maintainer = maintainer_;
        daoOwner = dlp_.owner();
        teeKeys = teeKeys_;
        for (uint256 i = 0; i < 3; i++) {
            address actor = vm.addr(0xAC7 + i);
            actors.push(actor);
            vm.deal(actor, 1000 ether);
        }
    }

    function addFile(uint256 actorSeed) external {
        address actor = _actor(actorSeed);
        string memory url = string.concat("ipfs://file-", Strings.toString(filesAdded));
        bytes32 checksum = sha256(bytes(url));
        vm.prank(actor);
        registry.addFile(url, checksum);
        filesAdded++;
    }

    function requestJob(uint256 fileSeed, uint256 bidSeed) external {
        if (filesAdded == 0) return;
        uint256 fileId = 1 + fileSeed % filesAdded;
        address owner = registry.fileRecords(fileId).ownerAddress;
        uint256 bid = pool.teeFee() + bidSeed % 1 ether;
        vm.prank(owner);
        pool.requestContributionProof{value: bid}(fileId, dlpId);
        paidIn += bid;
    }

    /// @dev Scores include zero, which lets the file be validated again.
    function prove(uint256 jobSeed, uint256 score) external {
        (uint256 jobId, ITeePool.Job memory job) = _job(jobSeed);
        if (jobId == 0 || job.status != ITeePool.JobStatus.Submitted) return;
        ITeePool.ProofData memory data = ITeePool.ProofData({
            score: score % 3 == 0 ? 0 : score % 1e18 + 1,
            dlpId: dlpId,
            programDigest: job.programDigest,
            metadata: "",
            proofUrl: "ipfs://attestation",
            instruction: ""
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(_teeKey(job.teeAddress), pool.proofDigest(jobId, job.teeAddress, data));
        vm.prank(job.teeAddress);
        pool.addProof(jobId, data, abi.encodePacked(r, s, v));
        feesEarned[job.teeAddress] += job.bidAmount;
    }

    function failJob(uint256 jobSeed) external {
        (uint256 jobId, ITeePool.Job memory job) = _job(jobSeed);
        if (jobId == 0 || job.status != ITeePool.JobStatus.Submitted) return;
        vm.prank(job.teeAddress);
        pool.failJob(jobId, "rejected by the program");
    }

    function cancelJob(uint256 jobSeed, uint256 waitSeconds) external {
        (uint256 jobId, ITeePool.Job memory job) = _job(jobSeed);
        if (jobId == 0) return;
        vm.warp(block.timestamp + waitSeconds % (2 * pool.cancelDelay()));
        vm.prank(job.payer);
        pool.cancelJob(jobId);
    }

    function claim(uint256 accountSeed) external {
        address account = accountSeed % 2 == 0 ? _actor(accountSeed / 2) : vm.addr(_teeKeyAt(accountSeed / 2));
        uint256 amount = pool.claimable(account);
        vm.prank(account);
        pool.claim();
        paidOut += amount;
        claimed[account] += amount;
    }

    /// @dev The DataDAO's owner pins another program, as if to dodge the rewards of proved files.
    function updateProgram(uint256 programSeed) external {
        vm.prank(daoOwner);
        dlp.updateProgram(keccak256(abi.encode(programSeed)), "ipfs://program");
    }

    /// @dev A maintainer removes a validator, or adds a removed one again with its own keys.
    function toggleTee(uint256 teeSeed) external {
        uint256 key = _teeKeyAt(teeSeed);
        address teeAddress = vm.addr(key);
        vm.startPrank(maintainer);
        if (pool.isActiveTee(teeAddress)) {
            pool.removeTee(teeAddress);
        } else {
            ITeePool.TeeInfo memory info = pool.teeRecords(teeAddress);
            pool.addTee(
                teeAddress, info.url, info.rsaPublicKey, info.secp256k1PublicKey, info.enclaveType, info.measurement
            );
        }
        vm.stopPrank();
    }

    function requestReward(uint256 fileSeed, uint256 proofSeed) external {
        if (filesAdded == 0) return;
        uint256 fileId = 1 + fileSeed % filesAdded;
        uint256 proofs = registry.fileProofsCount(fileId);
        if (proofs == 0) return;
        uint256 amount = dlp.requestReward(fileId, 1 + proofSeed % proofs);
        rewardsPaid += amount;
        rewardCount[fileId]++;
    }

    function actorsCount() external view returns (uint256) {
        return actors.length;
    }

    function teeCount() external view returns (uint256) {
        return teeKeys.length;
    }

    function _job(uint256 seed) private view returns (uint256 jobId, ITeePool.Job memory job) {
        uint256 count = pool.jobsCount();
        if (count == 0) return (0, job);
        jobId = 1 + seed % count;
        job = pool.jobRecords(jobId);
    }

    function _actor(uint256 seed) private view returns (address) {
        return actors[seed % actors.length];
    }

    function _teeKeyAt(uint256 seed) private view returns (uint256) {
        return teeKeys[seed % teeKeys.length];
    }

    function _teeKey(address teeAddress) private view returns (uint256) {
        for (uint256 i = 0; i < teeKeys.length; i++) {
            if (vm.addr(teeKeys[i]) == teeAddress) return teeKeys[i];
        }
        revert("unknown validator");
    }
}
