// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IVanaDataRegistry} from "../vana/IVanaDataRegistry.sol";

/// @title ILazaiDataRegistry
/// @notice The part of LazAI's DataRegistry ABI (as LazAI's `alith` client 0.12.3 ships it) that
///         DataCoop's registry answers with the same selectors, argument types and return shapes, so
///         alith's `Client` contributes unchanged. DataCoop's rules stay under these names: a file's
///         owner is its sender, proofs come only from the job's validator through the TeePool, and a
///         reward is paid by the DataDAO the proof is bound to. (`filesCount` is shared with Vana's ABI.)
interface ILazaiDataRegistry {
    /// @notice A file as LazAI's `getFile(id)` returns it. `hash` is the text the owner registered
    ///         (alith sends the SHA-256 hex of the plaintext); `proofIndex` is the file's latest proof
    ///         (from 1; 0: none) and `rewardAmount` what the DataDAO of that proof paid for the file.
    struct LazaiFile {
        uint256 id;
        address ownerAddress;
        string url;
        string hash;
        uint256 proofIndex;
        uint256 rewardAmount;
    }

    /// @notice A proof as LazAI's `getFileProof` returns it: when it was recorded, the EIP-712 digest
    ///         the validator signed (TeePool `recordedProofDigest`) and its signature over that digest.
    struct LazaiFileProof {
        uint256 timestamp;
        bytes32 hash;
        bytes signature;
    }

    /// @notice What LazAI's `addProof` carries.
    struct LazaiProofData {
        uint256 id;
        uint256 score;
        string fileUrl;
        string proofUrl;
    }

    /// @notice A proof as LazAI's `addProof` takes it.
    struct LazaiProof {
        bytes signature;
        LazaiProofData data;
    }

    error DataRegistryAmbiguousUrl(string url);
    error DataRegistryProofsOnlyThroughTeePool(address teePool);

    /// @notice Registers a file owned by the caller. `hash` is kept as given and returned by `getFile`;
    ///         it is not the encrypted file's checksum (alith hashes the plaintext), so the file is
    ///         recorded with a zero checksum, as Vana's registrations are.
    function addFile(string calldata url, string calldata hash) external returns (uint256 fileId);

    /// @notice As `addFile`, sharing the key with some accounts. `ownerAddress` must be the caller.
    function addFileWithPermissions(
        string calldata url,
        string calldata hash,
        address ownerAddress,
        IVanaDataRegistry.VanaPermission[] calldata permissions
    ) external returns (uint256 fileId);

    /// @notice Shares (or rotates) the key of `fileId` with `account` (stored as sent); owner only.
    function addPermissionForFile(uint256 fileId, address account, string calldata key) external;

    /// @notice File `fileId` in LazAI's shape; reverts for an unknown id.
    function getFile(uint256 fileId) external view returns (LazaiFile memory);

    /// @notice The caller's own file at `url`; for a caller with none there (alith reads without a
    ///         `from`), the file at `url` when a single account registered it, 0 when none did. When
    ///         several accounts registered `url` it reverts `DataRegistryAmbiguousUrl`: who registered
    ///         first never decides whose file a url is, so a front-runner's copy is never handed to the
    ///         owner (and a file id handed to the wrong account gives it nothing: every write on a file
    ///         is its owner's). Ask as the owner, or use `fileIdByUrl(owner, url)`.
    function getFileIdByUrl(string calldata url) external view returns (uint256);

    /// @notice The key of `fileId` shared with `account` as text: as sent when it was shared as text
    ///         (LazAI's and Vana's calls), else its 0x-hex; empty when none.
    function getFilePermission(uint256 fileId, address account) external view returns (string memory);

    /// @notice Proof `index` (from 1) of `fileId` in LazAI's shape; reverts if there is none.
    function getFileProof(uint256 fileId, uint256 index) external view returns (LazaiFileProof memory);

    /// @notice LazAI's unguarded `addProof` (anyone could append a proof there): always refused with
    ///         `DataRegistryProofsOnlyThroughTeePool`, since a proof comes only from the job's assigned
    ///         validator through the TeePool, which checks its signature.
    function addProof(uint256 fileId, LazaiProof calldata proof) external view;

    /// @notice Pays the owner of `fileId` for its proof `proofIndex` (from 1) through the DataDAO the
    ///         proof is bound to, exactly as that DataDAO's own `requestReward`: once per file, in its
    ///         token, `rewardPerFile * score`. Anyone may call it.
    function requestReward(uint256 fileId, uint256 proofIndex) external;
}
