// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title Rewards
/// @notice The one rule for what a proof pays, shared by the validator pool (which decides whether a
///         proof is final) and the DataDAO (which pays it), so no proof can be final yet unpayable.
library Rewards {
    /// @notice A score of 1e18 is a whole file's reward.
    uint256 internal constant SCORE_UNIT = 1e18;

    /// @notice A file's Data Anchoring Token has a revenue weight of 10,000 for a score of 1.
    uint256 internal constant SHARE_RATIO_UNIT = 10_000;

    /// @notice The `shareRatio` of the Data Anchoring Token minted for a proof scoring `score`.
    function shareRatio(uint256 score) internal pure returns (uint256) {
        return score * SHARE_RATIO_UNIT / SCORE_UNIT;
    }

    /// @notice Tokens a proof scoring `score` is paid at `rewardPerFile`, rounded down.
    function amount(uint256 rewardPerFile, uint256 score) internal pure returns (uint256) {
        return rewardPerFile * score / SCORE_UNIT;
    }

    /// @notice Whether a proof is final for its file and DataDAO: it is paid something, or it scores
    ///         above zero for a DataDAO that pays nothing at all. Anything else may be validated again.
    function isFinal(uint256 rewardPerFile, uint256 score) internal pure returns (bool) {
        return rewardPerFile == 0 ? score > 0 : amount(rewardPerFile, score) > 0;
    }
}
