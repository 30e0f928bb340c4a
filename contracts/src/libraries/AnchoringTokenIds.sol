// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title AnchoringTokenIds
/// @notice The one rule for a Data Anchoring Token's id, shared by the token and the ledgers that pay
///         its holder: the class (the DataDAO's id) in the high 128 bits, the file's id in the low ones.
library AnchoringTokenIds {
    uint256 internal constant FILE_BITS = 128;

    /// @notice The id of file `fileId`'s token in class `classId`; `fileId` must fit in 128 bits.
    function tokenIdOf(uint256 classId, uint256 fileId) internal pure returns (uint256) {
        return classId << FILE_BITS | fileId;
    }

    function classOf(uint256 tokenId) internal pure returns (uint256) {
        return tokenId >> FILE_BITS;
    }

    function fileOf(uint256 tokenId) internal pure returns (uint256) {
        return tokenId & type(uint128).max;
    }
}
