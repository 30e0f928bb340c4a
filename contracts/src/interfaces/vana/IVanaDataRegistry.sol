// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IVanaDataRegistry
/// @notice The part of Vana's DataRegistry ABI (as `@opendatalabs/vana-sdk` ships it) that DataCoop's
///         registry answers with the same selectors, argument types, return shapes and events, so
///         Vana's clients can register files and read proofs unchanged. DataCoop keeps its own rules
///         under these names: a file's owner is always its sender, a schema must exist, proofs come
///         only from the validator pool. DataCoop's richer records are under names of their own.
interface IVanaDataRegistry {
    /// @notice A file's key wrapped to one account, as Vana's clients send it (hex text).
    struct VanaPermission {
        address account;
        string key;
    }

    /// @notice A file as Vana's `files(id)` returns it.
    struct VanaFile {
        uint256 id;
        address ownerAddress;
        string url;
        uint256 schemaId;
        uint256 addedAtBlock;
    }

    /// @notice What a proof says, as Vana's `fileProofs` returns it.
    struct VanaProofData {
        uint256 score;
        uint256 dlpId;
        string metadata;
        string proofUrl;
        string instruction;
    }

    /// @notice A proof as Vana's `fileProofs` returns it.
    struct VanaProof {
        bytes signature;
        VanaProofData data;
    }

    /// @notice A file was registered by `ownerAddress` (Vana's event; DataCoop adds `FileRecorded`).
    event FileAdded(uint256 indexed fileId, address indexed ownerAddress, string url);

    /// @notice Registers a file owned by the caller, with no checksum and no schema.
    function addFile(string calldata url) external returns (uint256 fileId);

    /// @notice Registers a file owned by the caller under schema `schemaId` (0: none), with no checksum.
    function addFileWithSchema(string calldata url, uint256 schemaId) external returns (uint256 fileId);

    /// @notice Registers a file and shares its key with some accounts. `ownerAddress` must be the
    ///         caller: nobody registers a file in another's name.
    function addFileWithPermissions(string calldata url, address ownerAddress, VanaPermission[] calldata permissions)
        external
        returns (uint256 fileId);

    /// @notice As `addFileWithPermissions`, under schema `schemaId` (0: none).
    function addFileWithPermissionsAndSchema(
        string calldata url,
        address ownerAddress,
        VanaPermission[] calldata permissions,
        uint256 schemaId
    ) external returns (uint256 fileId);

    /// @notice Shares (or rotates) the key of `fileId` with `account`, the key given as Vana's
    ///         clients give it (hex text, stored as sent); owner only.
    function addFilePermission(uint256 fileId, address account, string calldata key) external;

    /// @notice File `fileId` in Vana's shape; reverts for an unknown id.
    function files(uint256 fileId) external view returns (VanaFile memory);

    /// @notice Proof `index` of `fileId` in Vana's shape. Proofs are numbered from 1, as Vana numbers
    ///         them; index 0 reads as an empty proof (as it does on Vana, so a client scanning from 0
    ///         finds the proofs after it), an index past the last reverts.
    function fileProofs(uint256 fileId, uint256 index) external view returns (VanaProof memory);

    /// @notice How many files have been registered; ids run from 1 to this.
    function filesCount() external view returns (uint256);
}
