// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IVanaDataLiquidityPool} from "./vana/IVanaDataLiquidityPool.sol";
import {IDataAnchoringToken} from "./dat/IDataAnchoringToken.sol";

/// @title IDataLiquidityPool
/// @notice One DataDAO: its proof-of-contribution program and the rewards it pays in its token
///         (`requestReward` and its `RewardRequested` event as Vana has them, IVanaDataLiquidityPool).
interface IDataLiquidityPool is IVanaDataLiquidityPool {
    /// @notice The program new jobs pin, and where it is published; also emitted at creation, so a
    ///         validator finds the url of any program a job pinned from these events.
    event ProgramUpdated(bytes32 programDigest, string programUrl);
    event RewardPerFileUpdated(uint256 rewardPerFile);
    event RewardPerFileDecreaseScheduled(uint256 rewardPerFile, uint256 effectiveAt);

    error DataLiquidityPoolAlreadyRewarded(uint256 fileId);
    error DataLiquidityPoolWrongDataDao(uint256 fileId, uint256 proofDlpId);
    error DataLiquidityPoolZeroScore(uint256 fileId);
    error DataLiquidityPoolInsufficientRewards(uint256 required, uint256 available);
    error DataLiquidityPoolEmptyProgram();
    /// @notice A reward per file so large that `rewardPerFile * score` would overflow, and every proof
    ///         of a job pinning it revert.
    error DataLiquidityPoolRewardTooLarge(uint256 rewardPerFile, uint256 max);

    /// @notice This DataDAO's id in the DataLiquidityPoolRegistry.
    function dlpId() external view returns (uint256);

    /// @notice The DataDAO's name.
    function name() external view returns (string memory);

    /// @notice The Data Anchoring Token minted to the contributor with each reward.
    function dataAnchoringToken() external view returns (IDataAnchoringToken);

    /// @notice The ERC-20 token rewards are paid in.
    function token() external view returns (address);

    /// @notice SHA-256 digest of the proof-of-contribution program validators must run for jobs
    ///         requested from now on (a job keeps the program pinned when it was requested).
    function programDigest() external view returns (bytes32);

    /// @notice Where the proof-of-contribution program is published.
    function programUrl() external view returns (string memory);

    /// @notice Tokens paid for a file with a score of 1 (1e18), for jobs requested now (a job keeps the
    ///         reward it was requested under).
    function rewardPerFile() external view returns (uint256);

    /// @notice A lower reward per file the owner set, and when it applies to new jobs (0, 0: none).
    function pendingRewardPerFile() external view returns (uint256 rewardPerFile, uint256 effectiveAt);

    /// @notice What `fileId` was paid, 0 if it was never rewarded.
    function fileRewards(uint256 fileId) external view returns (uint256);

    /// @notice Pins a new program for jobs requested from now on; owner only. Open jobs and recorded
    ///         proofs keep the program they were requested under.
    function updateProgram(bytes32 newProgramDigest, string calldata newProgramUrl) external;

    /// @notice Changes the reward per file for jobs requested from now on; owner only. A raise applies
    ///         at once; a cut only `REWARD_DECREASE_DELAY` later, so the owner cannot slip one in
    ///         ahead of a contributor's pending request (`RewardPerFileDecreaseScheduled`).
    function updateRewardPerFile(uint256 newRewardPerFile) external;
}
