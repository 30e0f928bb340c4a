// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IVanaDataRegistry} from "./vana/IVanaDataRegistry.sol";
import {ILazaiDataRegistry} from "./lazai/ILazaiDataRegistry.sol";

/// @title IDataRegistry
/// @notice Registry of contributed files, the permissions that share their keys, and the proofs
///         of contribution recorded for them. Vana's and LazAI's calls are answered too
///         (IVanaDataRegistry, ILazaiDataRegistry).
interface IDataRegistry is IVanaDataRegistry, ILazaiDataRegistry {
    /// @notice A file's key wrapped to one account (a validator, a DataDAO, a builder).
    struct Permission {
        address account;
        bytes key;
    }

    /// @notice What the registry knows of a file.
    struct FileRecord {
        address ownerAddress;
        string url;
        bytes32 checksum;
        uint256 schemaId;
        uint256 addedAtBlock;
    }

    /// @notice A proof of contribution as recorded once the validator pool has checked it.
    struct FileProof {
        uint256 jobId;
        address validator;
        uint256 score;
        uint256 dlpId;
        bytes32 programDigest;
        string metadata;
        string proofUrl;
        string instruction;
        bytes signature;
        uint256 addedAtBlock;
    }

    /// @notice What DataCoop records of a file beside Vana's `FileAdded`, emitted with it: the SHA-256
    ///         of its encrypted content (zero when registered through Vana's calls, which carry none)
    ///         and its schema (0: none).
    event FileRecorded(uint256 indexed fileId, address indexed ownerAddress, bytes32 checksum, uint256 schemaId);
    /// @notice `account` was given (or given anew) the wrapped key of `fileId`.
    event PermissionGranted(uint256 indexed fileId, address indexed account);
    /// @notice `account` lost its wrapped key of `fileId`.
    event PermissionRevoked(uint256 indexed fileId, address indexed account);
    /// @notice The validator pool recorded a proof for `fileId`.
    event ProofAdded(
        uint256 indexed fileId,
        address indexed ownerAddress,
        uint256 proofIndex,
        uint256 indexed dlpId,
        uint256 score,
        string proofUrl
    );
    /// @notice The validator pool allowed to add proofs was set.
    event TeePoolSet(address teePool);
    /// @notice The refiner registry naming who may add refinements was set.
    event RefinerRegistrySet(address refinerRegistry);
    /// @notice A refinement service stored `fileId` refined by `refinerId` at `url`, its key wrapped to `account`.
    event RefinementAdded(uint256 indexed fileId, uint256 indexed refinerId, string url, address account);
    /// @notice `sharer`, a refinement service holding its key, wrapped the key of `fileId`'s refinement by
    ///         `refinerId` to `account`, another refinement service of the refiner's DataDAO.
    event RefinementShared(uint256 indexed fileId, uint256 indexed refinerId, address indexed account, address sharer);

    error DataRegistryUnknownFile(uint256 fileId);
    error DataRegistryEmptyUrl();
    error DataRegistryEmptyChecksum();
    error DataRegistryFileAlreadyAdded(uint256 fileId);
    error DataRegistryNotFileOwner(uint256 fileId, address caller);
    error DataRegistryInvalidPermission(address account);
    error DataRegistryNoPermission(uint256 fileId, address account);
    error DataRegistryNotTeePool(address caller);
    error DataRegistryTeePoolAlreadySet(address teePool);
    error DataRegistryZeroAddress();
    error DataRegistryUnknownProof(uint256 fileId, uint256 proofIndex);
    error DataRegistryRefinerRegistryAlreadySet(address refinerRegistry);
    error DataRegistryRefinerRegistryNotSet();
    error DataRegistryNotRefinementService(uint256 dlpId, address caller);
    error DataRegistryNotValidated(uint256 fileId, uint256 dlpId);
    error DataRegistryRefinementAlreadyAdded(uint256 fileId, uint256 refinerId);
    error DataRegistryNoRefinement(uint256 fileId, uint256 refinerId);
    error DataRegistryOwnerNotSender(address ownerAddress, address sender);
    error DataRegistryUnknownSchema(uint256 schemaId);
    error DataRegistryInvalidSignature(uint256 length);
    error DataRegistryNoRefinementKey(uint256 fileId, uint256 refinerId, address caller);

    /// @notice Registers a file owned by the caller, with its checksum.
    /// @param url where the encrypted file can be fetched
    /// @param checksum SHA-256 of the encrypted content
    /// @return fileId the new file's id, counted from 1
    function addFile(string calldata url, bytes32 checksum) external returns (uint256 fileId);

    /// @notice Registers a file owned by the caller and shares its key with some accounts.
    function addFileWithPermissions(string calldata url, bytes32 checksum, Permission[] calldata permissions)
        external
        returns (uint256 fileId);

    /// @notice The id of the file `ownerAddress` registered under `url`, or 0.
    /// @dev Keyed by owner as well as url so that nobody can claim a url first and become its owner.
    function fileIdByUrl(address ownerAddress, string calldata url) external view returns (uint256);

    /// @notice DataCoop's record of `fileId`; reverts for an unknown id.
    function fileRecords(uint256 fileId) external view returns (FileRecord memory);

    /// @notice The owner of `fileId`; reverts for an unknown id. For contracts: unlike `fileRecords`, no url is copied.
    function fileOwner(uint256 fileId) external view returns (address);

    /// @notice SHA-256 of the encrypted content of `fileId` (zero when registered without one); reverts for an unknown id.
    function fileChecksum(uint256 fileId) external view returns (bytes32);

    /// @notice Every account the owner of `fileId` ever shared its key with, in the order first shared
    ///         (an account whose key was revoked stays listed: its permission reads empty).
    function fileGrantees(uint256 fileId) external view returns (address[] memory);

    /// @notice Shares (or rotates) the key of `fileId` with `account`; owner only.
    function addFilePermission(uint256 fileId, address account, bytes calldata key) external;

    /// @notice Withdraws the key of `fileId` from `account`; owner only.
    function revokeFilePermission(uint256 fileId, address account) external;

    /// @notice The key of `fileId` wrapped to `account`, empty when there is none.
    function filePermissions(uint256 fileId, address account) external view returns (bytes memory);

    /// @notice Records a checked proof, numbered from 1; callable by the validator pool only.
    function addProof(uint256 fileId, FileProof calldata proof) external returns (uint256 proofIndex);

    /// @notice DataCoop's record of proof `index` (from 1) of `fileId`; reverts if there is none.
    function fileProofRecords(uint256 fileId, uint256 index) external view returns (FileProof memory);

    /// @notice What a reward needs of proof `index` (from 1) of `fileId`: its job, DataDAO and score; reverts if
    ///         there is none. For contracts: unlike `fileProofRecords`, no string is copied.
    function fileProofScore(uint256 fileId, uint256 index) external view returns (uint256 jobId, uint256 dlpId, uint256 score);

    /// @notice How many proofs `fileId` has; they are numbered from 1 to this.
    function fileProofsCount(uint256 fileId) external view returns (uint256);

    /// @notice The validator pool that may add proofs.
    function teePool() external view returns (address);

    /// @notice The refiner registry whose services may add refinements.
    function refinerRegistry() external view returns (address);

    /// @notice Records `fileId` refined by `refinerId` and shares the refined output's key with
    ///         `account`; callable by a refinement service of the refiner's DataDAO, once per file
    ///         and refiner, and only for a file with a proof of that DataDAO scoring above zero.
    function addRefinementWithPermission(
        uint256 fileId,
        uint256 refinerId,
        string calldata url,
        address account,
        bytes calldata key
    ) external;

    /// @notice Shares the key of `fileId`'s refinement by `refinerId` with `account`: called by a
    ///         refinement service of the refiner's DataDAO that holds a key to it, for another of its
    ///         refinement services, so the DataDAO's enclaves can all re-execute a task over its data
    ///         (an optimistic task's challengers and referees). Replaces a key shared before.
    function shareRefinement(uint256 fileId, uint256 refinerId, address account, bytes calldata key) external;

    /// @notice Where the output of `refinerId` for `fileId` is stored, empty when there is none.
    function refinements(uint256 fileId, uint256 refinerId) external view returns (string memory);

    /// @notice The key of the refined output of `fileId` by `refinerId` wrapped to `account`, empty when none.
    /// @dev Kept apart from the file's own permissions, so a refinement never replaces the key of the raw file.
    function refinementPermissions(uint256 fileId, uint256 refinerId, address account) external view returns (bytes memory);

    /// @notice The owner of `fileId` if `refinerId` refined it; reverts otherwise.
    function refinedFileOwner(uint256 fileId, uint256 refinerId) external view returns (address);

    /// @notice How many files `refinerId` refined.
    function refinedFilesCount(uint256 refinerId) external view returns (uint256);

    /// @notice Up to `limit` ids of files `refinerId` refined, from position `offset`, oldest first.
    function refinedFiles(uint256 refinerId, uint256 offset, uint256 limit) external view returns (uint256[] memory);
}
