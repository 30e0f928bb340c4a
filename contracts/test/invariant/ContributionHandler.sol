// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {vm} from "../utils/Vm.sol";
import {DataRegistry} from "../../src/DataRegistry.sol";
import {TeePool} from "../../src/TeePool.sol";
import {DataLiquidityPool} from "../../src/DataLiquidityPool.sol";
import {ITeePool} from "../../src/interfaces/ITeePool.sol";
import {IDataRegistry} from "../../src/interfaces/IDataRegistry.sol";
import {Rewards} from "../../src/libraries/Rewards.sol";

/// @notice Drives the contribution flow in random orders for the invariant suite, over two DataDAOs
///         sharing the validator pool, and keeps ghost totals of what went in and out. Inputs are
///         bounded, not assumed away. A call that reverts is discarded by the fuzzer, so what must
///         not happen (a wrong proof accepted, a due reward refused, an undue one paid) is counted
///         here in try/catch and asserted zero by the invariants.
contract ContributionHandler {
    DataRegistry public immutable registry;
    TeePool public immutable pool;
    address public immutable maintainer;

    DataLiquidityPool[] public dlps;
    uint256[] public teeKeys;
    address[] public actors;

    uint256 public paidIn;
    uint256 public paidOut;
    mapping(uint256 dlpId => uint256 amount) public rewardsPaid;
    mapping(address tee => uint256 amount) public feesEarned;
    mapping(address account => uint256 amount) public claimed;
    mapping(uint256 fileId => mapping(uint256 dlpId => uint256 count)) public rewardCount;
    uint256 public filesAdded;

    uint256 public wrongProofsAccepted;
    uint256 public dueRewardsRefused;
    uint256 public undueRewardsPaid;

    constructor(DataRegistry registry_, TeePool pool_, DataLiquidityPool[] memory dlps_, uint256[] memory teeKeys_, address maintainer_) {
        registry = registry_;
        pool = pool_;
        maintainer = maintainer_;
        dlps = dlps_;
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

    function requestJob(uint256 fileSeed, uint256 bidSeed, uint256 dlpSeed) external {
        if (filesAdded == 0) return;
        uint256 fileId = 1 + fileSeed % filesAdded;
        address owner = registry.fileRecords(fileId).ownerAddress;
        uint256 bid = pool.teeFee() + bidSeed % 1 ether;
        uint256 dlpId = _dlp(dlpSeed).dlpId(); // before the prank: a call in the arguments would take it
        vm.prank(owner);
        pool.requestContributionProof{value: bid}(fileId, dlpId);
        paidIn += bid;
    }

    /// @dev Scores include zero and dust, which let the file be validated again.
    function prove(uint256 jobSeed, uint256 score) external {
        (uint256 jobId, ITeePool.Job memory job) = _job(jobSeed);
        if (jobId == 0 || job.status != ITeePool.JobStatus.Submitted) return;
        ITeePool.ProofData memory data = _data(job.dlpId, job.programDigest, score % 3 == 0 ? 0 : score % 1e18 + 1);
        bytes memory signature = _sign(_teeKey(job.teeAddress), jobId, job.teeAddress, data);
        vm.prank(job.teeAddress);
        pool.addProof(jobId, data, signature);
        feesEarned[job.teeAddress] += job.bidAmount;
    }

    /// @dev A proof that must be refused: another program than the job pinned, another DataDAO, or
    ///      the signature (and sender) of a validator the job is not assigned to.
    function proveWrongly(uint256 jobSeed, uint256 kind, uint256 score) external {
        (uint256 jobId, ITeePool.Job memory job) = _job(jobSeed);
        if (jobId == 0 || job.status != ITeePool.JobStatus.Submitted) return;
        ITeePool.ProofData memory data = _data(job.dlpId, job.programDigest, score % 1e18 + 1);
        address sender = job.teeAddress;
        kind %= 3;
        if (kind == 0) data.programDigest = keccak256(abi.encode(job.programDigest, score));
        if (kind == 1) data.dlpId = job.dlpId == dlps[0].dlpId() ? dlps[1].dlpId() : dlps[0].dlpId();
        if (kind == 2) sender = vm.addr(teeKeys[0]) == job.teeAddress ? vm.addr(teeKeys[1]) : vm.addr(teeKeys[0]);
        bytes memory signature = _sign(_teeKey(sender), jobId, sender, data);
        vm.prank(sender);
        try pool.addProof(jobId, data, signature) {
            wrongProofsAccepted++;
        } catch {}
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

    /// @dev A DataDAO's owner pins another program, as if to dodge the rewards of proved files.
    function updateProgram(uint256 dlpSeed, uint256 programSeed) external {
        DataLiquidityPool dlp = _dlp(dlpSeed);
        vm.prank(dlp.owner());
        dlp.updateProgram(keccak256(abi.encode(programSeed)), "ipfs://program");
    }

    /// @dev A DataDAO's owner changes the reward, down to nothing or dust, as if to dodge a claim.
    function updateRewardPerFile(uint256 dlpSeed, uint256 rateSeed) external {
        DataLiquidityPool dlp = _dlp(dlpSeed);
        uint256 rate = rateSeed % 4 == 0 ? 0 : rateSeed % 4 == 1 ? 1 : rateSeed % 200e18;
        vm.prank(dlp.owner());
        dlp.updateRewardPerFile(rate);
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

    /// @dev Anyone asks either DataDAO for any proof of any file: what is due must be paid, exactly,
    ///      and nothing else.
    function requestReward(uint256 fileSeed, uint256 proofSeed, uint256 dlpSeed) external {
        if (filesAdded == 0) return;
        uint256 fileId = 1 + fileSeed % filesAdded;
        uint256 proofs = registry.fileProofsCount(fileId);
        if (proofs == 0) return;
        uint256 proofIndex = 1 + proofSeed % proofs;
        DataLiquidityPool dlp = _dlp(dlpSeed);
        uint256 due = _due(dlp, fileId, proofIndex);
        try dlp.requestReward(fileId, proofIndex) returns (uint256 amount) {
            if (due == 0 || amount != due) undueRewardsPaid++;
            rewardsPaid[dlp.dlpId()] += amount;
            rewardCount[fileId][dlp.dlpId()]++;
        } catch {
            if (due != 0) dueRewardsRefused++;
        }
    }

    function actorsCount() external view returns (uint256) {
        return actors.length;
    }

    function teeCount() external view returns (uint256) {
        return teeKeys.length;
    }

    function dlpCount() external view returns (uint256) {
        return dlps.length;
    }

    /// @dev What `dlp` owes for `proofIndex` of `fileId`: its own proof, not yet rewarded, at the
    ///      rate its job pinned, while the budget lasts; 0 when nothing is due.
    function _due(DataLiquidityPool dlp, uint256 fileId, uint256 proofIndex) private view returns (uint256) {
        IDataRegistry.FileProof memory proof = registry.fileProofRecords(fileId, proofIndex);
        if (proof.dlpId != dlp.dlpId() || dlp.fileRewards(fileId) != 0) return 0;
        uint256 amount = Rewards.amount(pool.jobRecords(proof.jobId).rewardPerFile, proof.score);
        return amount <= IERC20(dlp.token()).balanceOf(address(dlp)) ? amount : 0;
    }

    function _data(uint256 dlpId, bytes32 programDigest, uint256 score) private pure returns (ITeePool.ProofData memory) {
        return ITeePool.ProofData({
            score: score,
            dlpId: dlpId,
            programDigest: programDigest,
            metadata: "",
            proofUrl: "ipfs://attestation",
            instruction: ""
        });
    }

    function _sign(uint256 key, uint256 jobId, address validator, ITeePool.ProofData memory data)
        private
        view
        returns (bytes memory)
    {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, pool.proofDigest(jobId, validator, data));
        return abi.encodePacked(r, s, v);
    }

    function _job(uint256 seed) private view returns (uint256 jobId, ITeePool.Job memory job) {
        uint256 count = pool.jobsCount();
        if (count == 0) return (0, job);
        jobId = 1 + seed % count;
        job = pool.jobRecords(jobId);
    }

    function _dlp(uint256 seed) private view returns (DataLiquidityPool) {
        return dlps[seed % dlps.length];
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
