// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IVanaTeePool
/// @notice The part of Vana's TeePool ABI (as `@opendatalabs/vana-sdk` ships it) that DataCoop's
///         validator pool answers with the same selectors, shapes and events. DataCoop's own records
///         of jobs and validators are `jobRecords` and `teeRecords`.
interface IVanaTeePool {
    /// @notice A job as Vana's `jobs(id)` returns it. `status`: 0 none, 1 submitted, 2 completed,
    ///         3 canceled (Vana's values), 4 failed (DataCoop's, appended so Vana's keep their meaning).
    struct VanaJob {
        uint256 fileId;
        uint256 bidAmount;
        uint8 status;
        uint256 addedTimestamp;
        address ownerAddress;
        address teeAddress;
    }

    /// @notice A validator as Vana's `tees(address)` returns it. `amount` is the fees it earned,
    ///         `withdrawnAmount` what it claimed, `publicKey` its secp256k1 key as 0x-hex (empty when
    ///         it published none), the key Vana's clients wrap a file's password to.
    struct VanaTee {
        address teeAddress;
        string url;
        uint8 status;
        uint256 amount;
        uint256 withdrawnAmount;
        uint256 jobsCount;
        string publicKey;
    }

    /// @notice A job was opened for `fileId` and assigned to `teeAddress` (Vana's event: the validator
    ///         is not indexed).
    event JobSubmitted(uint256 indexed jobId, uint256 indexed fileId, address teeAddress, uint256 bidAmount);

    /// @notice Pays for validating `fileId` for the one DataDAO its owner shared the file's key with
    ///         (a permission for that DataDAO's pool address, as Vana's clients grant it); the file's
    ///         owner only. Refused, naming why, when the key was shared with no DataDAO or with several.
    /// @return jobId the new job's id, counted from 1
    function requestContributionProof(uint256 fileId) external payable returns (uint256 jobId);

    /// @notice Job `jobId` in Vana's shape; reverts for an unknown id.
    function jobs(uint256 jobId) external view returns (VanaJob memory);

    /// @notice Validator `teeAddress` in Vana's shape (all zero when it was never registered).
    function tees(address teeAddress) external view returns (VanaTee memory);
}
