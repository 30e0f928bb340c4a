// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IDataRegistry} from "./interfaces/IDataRegistry.sol";
import {ITeePool} from "./interfaces/ITeePool.sol";
import {IDataLiquidityPool} from "./interfaces/IDataLiquidityPool.sol";
import {IDataAnchoringToken} from "./interfaces/dat/IDataAnchoringToken.sol";
import {IVanaDataLiquidityPool} from "./interfaces/vana/IVanaDataLiquidityPool.sol";
import {Rewards} from "./libraries/Rewards.sol";

/// @title DataLiquidityPool
/// @notice One DataDAO. A reward is paid once per file, to the file's owner, for a proof the
///         registry recorded for this DataDAO, so a proof made for another DataDAO sharing the
///         validator pool cannot be replayed here. The registry records only proofs the TeePool
///         accepted: signed by the job's assigned validator while it was active, for this DataDAO and
///         the program pinned when the job was requested. Validity is decided then, so changing the
///         program or removing the validator later cannot take a reward away (the owner could
///         otherwise front-run every claim with `updateProgram`). With the reward, the contributor
///         receives the file's Data Anchoring Token, whose holder earns the file's revenue.
contract DataLiquidityPool is IDataLiquidityPool, Ownable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint256 public immutable dlpId;
    IDataRegistry public immutable dataRegistry;
    ITeePool public immutable teePool;
    address public immutable token;
    IDataAnchoringToken public immutable dataAnchoringToken;

    /// @notice How long a cut of the reward per file waits before it applies to new jobs.
    uint256 public constant REWARD_DECREASE_DELAY = 1 hours;

    string public name;
    bytes32 public programDigest;
    string public programUrl;
    mapping(uint256 fileId => uint256 amount) public fileRewards;
    uint256 private _rewardPerFile;
    uint256 private _pendingRewardPerFile;
    uint256 private _pendingFrom;

    /// @param id the DataDAO's id
    /// @param daoName the DataDAO's name
    /// @param daoOwner who may change the program and the reward
    /// @param rewardToken the ERC-20 rewards are paid in, held by this contract
    /// @param registry the file registry
    /// @param pool the validator pool whose proofs the registry records
    /// @param initialProgramDigest SHA-256 of the proof-of-contribution program
    /// @param initialProgramUrl where that program is published
    /// @param initialRewardPerFile tokens for a file scored 1e18
    /// @param anchoringToken the DAT minted with each reward, which lets this pool mint into its class
    constructor(
        uint256 id,
        string memory daoName,
        address daoOwner,
        address rewardToken,
        IDataRegistry registry,
        ITeePool pool,
        bytes32 initialProgramDigest,
        string memory initialProgramUrl,
        uint256 initialRewardPerFile,
        IDataAnchoringToken anchoringToken
    ) Ownable(daoOwner) {
        if (initialProgramDigest == bytes32(0)) revert DataLiquidityPoolEmptyProgram();
        dlpId = id;
        name = daoName;
        token = rewardToken;
        dataRegistry = registry;
        teePool = pool;
        dataAnchoringToken = anchoringToken;
        programDigest = initialProgramDigest;
        programUrl = initialProgramUrl;
        _requireRewardFits(initialRewardPerFile);
        _rewardPerFile = initialRewardPerFile;
        emit ProgramUpdated(initialProgramDigest, initialProgramUrl);
    }

    /// @inheritdoc IVanaDataLiquidityPool
    function requestReward(uint256 fileId, uint256 proofIndex) external nonReentrant returns (uint256 amount) {
        if (fileRewards[fileId] != 0) revert DataLiquidityPoolAlreadyRewarded(fileId);
        (uint256 jobId, uint256 proofDlpId, uint256 score) = dataRegistry.fileProofScore(fileId, proofIndex);
        if (proofDlpId != dlpId) revert DataLiquidityPoolWrongDataDao(fileId, proofDlpId);

        // At the rate the job pinned when it was requested: a later updateRewardPerFile cannot front-run this claim.
        amount = Rewards.amount(teePool.jobRewardPerFile(jobId), score);
        if (amount == 0) revert DataLiquidityPoolZeroScore(fileId); // a zero score, one too small to pay, or a DataDAO that pays nothing
        uint256 available = IERC20(token).balanceOf(address(this));
        if (amount > available) revert DataLiquidityPoolInsufficientRewards(amount, available);
        address ownerAddress = dataRegistry.fileOwner(fileId);
        fileRewards[fileId] = amount;
        IERC20(token).safeTransfer(ownerAddress, amount);
        emit RewardRequested(ownerAddress, fileId, proofIndex, amount);
        dataAnchoringToken.mint(fileId, ownerAddress, Rewards.shareRatio(score));
    }

    /// @inheritdoc IDataLiquidityPool
    function updateProgram(bytes32 newProgramDigest, string calldata newProgramUrl) external onlyOwner {
        if (newProgramDigest == bytes32(0)) revert DataLiquidityPoolEmptyProgram();
        programDigest = newProgramDigest;
        programUrl = newProgramUrl;
        emit ProgramUpdated(newProgramDigest, newProgramUrl);
    }

    /// @inheritdoc IDataLiquidityPool
    function updateRewardPerFile(uint256 newRewardPerFile) external onlyOwner {
        _requireRewardFits(newRewardPerFile);
        uint256 current = rewardPerFile();
        if (newRewardPerFile >= current) {
            _rewardPerFile = newRewardPerFile;
            _pendingFrom = 0;
            emit RewardPerFileUpdated(newRewardPerFile);
        } else {
            _rewardPerFile = current; // a cut that applied already stays applied
            _pendingRewardPerFile = newRewardPerFile;
            // A timestamp, in seconds: the delay is measured in time, not blocks.
            // forge-lint: disable-next-line(block-timestamp)
            _pendingFrom = block.timestamp + REWARD_DECREASE_DELAY;
            emit RewardPerFileDecreaseScheduled(newRewardPerFile, _pendingFrom);
        }
    }

    /// @inheritdoc IDataLiquidityPool
    function rewardPerFile() public view returns (uint256) {
        // forge-lint: disable-next-line(block-timestamp)
        return _pendingFrom != 0 && block.timestamp >= _pendingFrom ? _pendingRewardPerFile : _rewardPerFile;
    }

    /// @inheritdoc IDataLiquidityPool
    function pendingRewardPerFile() external view returns (uint256, uint256) {
        // forge-lint: disable-next-line(block-timestamp)
        if (_pendingFrom == 0 || block.timestamp >= _pendingFrom) return (0, 0);
        return (_pendingRewardPerFile, _pendingFrom);
    }

    function _requireRewardFits(uint256 reward) private pure {
        uint256 max = type(uint256).max / Rewards.SCORE_UNIT;
        if (reward > max) revert DataLiquidityPoolRewardTooLarge(reward, max);
    }
}
