// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IVanaDataLiquidityPool
/// @notice The part of Vana's DataLiquidityPool ABI that DataCoop's DataDAO answers unchanged.
interface IVanaDataLiquidityPool {
    /// @notice `contributorAddress`, the owner of `fileId`, was paid `rewardAmount` for proof `proofIndex`
    ///         (numbered from 1, as the registry numbers proofs).
    event RewardRequested(
        address indexed contributorAddress, uint256 indexed fileId, uint256 indexed proofIndex, uint256 rewardAmount
    );

    /// @notice Pays the owner of `fileId` `rewardPerFile * score` for its proof `proofIndex` (from 1),
    ///         once per file, for a recorded proof of this DataDAO (Vana checks no DataDAO, so a proof
    ///         could be replayed across DataDAOs); anyone may call it. A proof the TeePool accepted
    ///         stays claimable whatever changes afterwards to the program or the validators.
    function requestReward(uint256 fileId, uint256 proofIndex) external returns (uint256 amount);
}
