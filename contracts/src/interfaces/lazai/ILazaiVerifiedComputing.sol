// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title ILazaiVerifiedComputing
/// @notice The part of LazAI's VerifiedComputing ABI (as LazAI's `alith` client 0.12.3 ships it) that
///         DataCoop's validator pool answers with the same selectors and shapes. `fileJobIds`,
///         `jobsCount` and `claim` are shared with DataCoop's own ABI. Statuses are numbered as LazAI
///         numbers them.
interface ILazaiVerifiedComputing {
    /// @notice A job as LazAI's `getJob(id)` returns it. `status`: 0 none, 1 submitted, 2 completed,
    ///         3 canceled (LazAI's values), 4 failed (DataCoop's, appended). `ownerAddress` is who paid.
    struct LazaiJob {
        uint256 fileId;
        uint256 bidAmount;
        uint8 status;
        uint256 addedTimestamp;
        address ownerAddress;
        address nodeAddress;
    }

    /// @notice A validator as LazAI's `getNode(address)` returns it. `status`: 0 none, 1 active,
    ///         2 removed; `amount` the fees it earned; `publicKey` its RSA key as a PKCS#1 PEM
    ///         (`-----BEGIN RSA PUBLIC KEY-----`), the key alith wraps a file's password to; empty
    ///         when it published no RSA key.
    struct LazaiNode {
        address nodeAddress;
        string url;
        uint8 status;
        uint256 amount;
        uint256 jobsCount;
        string publicKey;
    }

    /// @notice The fee per job, in wei (DataCoop's `teeFee`).
    function nodeFee() external view returns (uint256);

    /// @notice The active validators (a removed one leaves the list).
    function nodeList() external view returns (address[] memory);

    /// @notice Whether `nodeAddress` is an active validator.
    function isNode(address nodeAddress) external view returns (bool);

    /// @notice Validator `nodeAddress` in LazAI's shape (all zero when it was never registered).
    function getNode(address nodeAddress) external view returns (LazaiNode memory);

    /// @notice Pays for validating `fileId`, owner only. The job is bound as Vana's
    ///         `requestContributionProof(fileId)` binds it: to the one DataDAO whose pool the owner shared
    ///         the file's key with; LazAI's files share no key on-chain, so then to the deployment's
    ///         default DataDAO (`defaultDlpId`), refused naming why when there is none.
    function requestProof(uint256 fileId) external payable;

    /// @notice Job `jobId` in LazAI's shape; reverts for an unknown id.
    function getJob(uint256 jobId) external view returns (LazaiJob memory);
}
