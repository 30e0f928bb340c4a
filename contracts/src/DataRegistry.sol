// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IDataRegistry} from "./interfaces/IDataRegistry.sol";
import {IVanaDataRegistry} from "./interfaces/vana/IVanaDataRegistry.sol";
import {ILazaiDataRegistry} from "./interfaces/lazai/ILazaiDataRegistry.sol";
import {IDataRefinerRegistry} from "./interfaces/IDataRefinerRegistry.sol";
import {IDataLiquidityPool} from "./interfaces/IDataLiquidityPool.sol";
import {ITeePool} from "./interfaces/ITeePool.sol";
import {HexText} from "./libraries/HexText.sol";
import {IDataLiquidityPoolRegistry} from "./interfaces/IDataLiquidityPoolRegistry.sol";

/// @title DataRegistry
/// @notice Files, their owners, wrapped keys and proofs. The owner of a file is always the account
///         that registered it, and a url is unique per owner, so copying someone's pending
///         registration neither blocks it nor makes the copier its owner. Proofs come only from
///         the validator pool, which checks them first. Refinements come only from a service the
///         refiner's DataDAO trusts, for files that DataDAO validated, so nobody is paid for rows
///         of a file the DataDAO never accepted. Vana's registrations are overloads with the same
///         rules: the `ownerAddress` they name must be the sender; they carry no checksum, so the file
///         is recorded with a zero one and the validator attests the checksum of what it downloaded.
///         LazAI's calls likewise (their `hash` is kept as text: alith hashes the plaintext); LazAI's
///         `getFileIdByUrl` never decides a url's owner by who registered it first, its unguarded
///         `addProof` is refused, and its `requestReward` pays through the proof's DataDAO.
contract DataRegistry is IDataRegistry, Ownable {
    /// @dev A file as stored: owner, block and schema share a slot. The url stays whole: Vana's `files`
    ///      and every client read it there (the validator fetches the file from it).
    struct StoredFile {
        address ownerAddress;
        uint64 addedAtBlock;
        uint32 schemaId;
        bytes32 checksum;
        string url;
    }

    /// @dev A proof as stored: the numbers packed in two slots with the signature's v, the signature's r
    ///      and s in one slot each (TeePool accepts only 65-byte signatures), the strings as sent.
    struct StoredProof {
        address validator;
        uint64 jobId;
        uint8 v;
        uint64 score;
        uint64 dlpId;
        uint64 addedAtBlock;
        uint64 timestamp;
        bytes32 programDigest;
        bytes32 r;
        bytes32 s;
        string metadata;
        string proofUrl;
        string instruction;
    }

    /// @dev Set in `_fileByUrl` once a second owner registers the same url.
    uint256 private constant URL_REGISTERED_BY_SEVERAL = 1 << 255;

    address private _teePool;
    IDataRefinerRegistry private _refinerRegistry;
    mapping(uint256 fileId => mapping(uint256 refinerId => string url)) private _refinements;
    mapping(uint256 refinerId => uint256[] fileIds) private _refinedFiles;
    mapping(uint256 fileId => mapping(uint256 refinerId => mapping(address account => bytes key))) private
        _refinementKeys;
    StoredFile[] private _files;
    // One slot per url: the first file registered under it, and whether another owner registered it too.
    mapping(bytes32 urlHash => uint256 fileIdAndSeveral) private _fileByUrl;
    // Only files whose url another owner registered first: most urls need no second index.
    mapping(bytes32 ownerAndUrl => uint256 fileId) private _fileIdByOwnerAndUrl;
    mapping(uint256 fileId => mapping(address account => bytes key)) private _permissions;
    mapping(uint256 fileId => StoredProof[] proofs) private _proofs;
    mapping(uint256 fileId => address[] accounts) private _grantees;
    // A listed grantee holds a key, or lost it (revoked): only a revocation writes a flag, not every grant.
    mapping(uint256 fileId => mapping(address account => bool revoked)) private _listedWithoutKey;
    mapping(uint256 fileId => string hash) private _lazaiHashes;

    /// @param initialOwner the account that may set the validator pool once
    constructor(address initialOwner) Ownable(initialOwner) {}

    /// @notice Sets the validator pool that may add proofs; once, by the registry's owner.
    function setTeePool(address newTeePool) external onlyOwner {
        if (newTeePool == address(0)) revert DataRegistryZeroAddress();
        if (_teePool != address(0)) revert DataRegistryTeePoolAlreadySet(_teePool);
        _teePool = newTeePool;
        emit TeePoolSet(newTeePool);
    }

    /// @inheritdoc IDataRegistry
    function teePool() external view returns (address) {
        return _teePool;
    }

    /// @notice Sets the refiner registry whose services may add refinements; once, by the owner.
    function setRefinerRegistry(address newRefinerRegistry) external onlyOwner {
        if (newRefinerRegistry == address(0)) revert DataRegistryZeroAddress();
        if (address(_refinerRegistry) != address(0)) {
            revert DataRegistryRefinerRegistryAlreadySet(address(_refinerRegistry));
        }
        _refinerRegistry = IDataRefinerRegistry(newRefinerRegistry);
        emit RefinerRegistrySet(newRefinerRegistry);
    }

    /// @inheritdoc IDataRegistry
    function refinerRegistry() external view returns (address) {
        return address(_refinerRegistry);
    }

    /// @inheritdoc IDataRegistry
    function addRefinementWithPermission(
        uint256 fileId,
        uint256 refinerId,
        string calldata url,
        address account,
        bytes calldata key
    ) external {
        if (address(_refinerRegistry) == address(0)) revert DataRegistryRefinerRegistryNotSet();
        _file(fileId);
        uint256 dlpId = _refinerRegistry.refiners(refinerId).dlpId;
        if (!_refinerRegistry.isRefinementService(dlpId, msg.sender)) {
            revert DataRegistryNotRefinementService(dlpId, msg.sender);
        }
        if (!_validatedFor(fileId, dlpId)) revert DataRegistryNotValidated(fileId, dlpId);
        if (bytes(url).length == 0) revert DataRegistryEmptyUrl();
        if (bytes(_refinements[fileId][refinerId]).length != 0) {
            revert DataRegistryRefinementAlreadyAdded(fileId, refinerId);
        }
        if (account == address(0) || key.length == 0) revert DataRegistryInvalidPermission(account);
        _refinements[fileId][refinerId] = url;
        _refinedFiles[refinerId].push(fileId);
        _refinementKeys[fileId][refinerId][account] = key;
        emit RefinementAdded(fileId, refinerId, url, account);
    }

    /// @inheritdoc IDataRegistry
    function shareRefinement(uint256 fileId, uint256 refinerId, address account, bytes calldata key) external {
        if (address(_refinerRegistry) == address(0)) revert DataRegistryRefinerRegistryNotSet();
        _file(fileId);
        if (bytes(_refinements[fileId][refinerId]).length == 0) revert DataRegistryNoRefinement(fileId, refinerId);
        uint256 dlpId = _refinerRegistry.refiners(refinerId).dlpId;
        if (!_refinerRegistry.isRefinementService(dlpId, msg.sender)) {
            revert DataRegistryNotRefinementService(dlpId, msg.sender);
        }
        if (_refinementKeys[fileId][refinerId][msg.sender].length == 0) {
            revert DataRegistryNoRefinementKey(fileId, refinerId, msg.sender);
        }
        if (!_refinerRegistry.isRefinementService(dlpId, account)) revert DataRegistryNotRefinementService(dlpId, account);
        if (key.length == 0) revert DataRegistryInvalidPermission(account);
        _refinementKeys[fileId][refinerId][account] = key;
        emit RefinementShared(fileId, refinerId, account, msg.sender);
    }

    /// @inheritdoc IDataRegistry
    function refinementPermissions(uint256 fileId, uint256 refinerId, address account)
        external
        view
        returns (bytes memory)
    {
        _file(fileId);
        return _refinementKeys[fileId][refinerId][account];
    }

    /// @inheritdoc IDataRegistry
    function refinements(uint256 fileId, uint256 refinerId) external view returns (string memory) {
        _file(fileId);
        return _refinements[fileId][refinerId];
    }

    /// @inheritdoc IDataRegistry
    function refinedFileOwner(uint256 fileId, uint256 refinerId) external view returns (address) {
        StoredFile storage file = _file(fileId);
        if (bytes(_refinements[fileId][refinerId]).length == 0) revert DataRegistryNoRefinement(fileId, refinerId);
        return file.ownerAddress;
    }

    /// @inheritdoc IDataRegistry
    function refinedFilesCount(uint256 refinerId) external view returns (uint256) {
        return _refinedFiles[refinerId].length;
    }

    /// @inheritdoc IDataRegistry
    function refinedFiles(uint256 refinerId, uint256 offset, uint256 limit) external view returns (uint256[] memory page) {
        uint256[] storage all = _refinedFiles[refinerId];
        uint256 end = offset >= all.length ? offset : (all.length - offset > limit ? offset + limit : all.length);
        page = new uint256[](end - offset);
        for (uint256 i = offset; i < end; i++) {
            page[i - offset] = all[i];
        }
    }

    /// @inheritdoc IDataRegistry
    function addFile(string calldata url, bytes32 checksum) external returns (uint256) {
        if (checksum == bytes32(0)) revert DataRegistryEmptyChecksum();
        return _addFile(url, checksum, 0);
    }

    /// @inheritdoc IDataRegistry
    function addFileWithPermissions(string calldata url, bytes32 checksum, Permission[] calldata permissions)
        external
        returns (uint256 fileId)
    {
        if (checksum == bytes32(0)) revert DataRegistryEmptyChecksum();
        fileId = _addFile(url, checksum, 0);
        for (uint256 i = 0; i < permissions.length; i++) {
            _grant(fileId, permissions[i].account, permissions[i].key);
        }
    }

    /// @inheritdoc IVanaDataRegistry
    function addFile(string calldata url) external returns (uint256) {
        return _addFile(url, bytes32(0), 0);
    }

    /// @inheritdoc IVanaDataRegistry
    function addFileWithSchema(string calldata url, uint256 schemaId) external returns (uint256) {
        return _addFile(url, bytes32(0), schemaId);
    }

    /// @inheritdoc IVanaDataRegistry
    function addFileWithPermissions(string calldata url, address ownerAddress, VanaPermission[] calldata permissions)
        external
        returns (uint256)
    {
        return _addVanaFile(url, ownerAddress, permissions, 0);
    }

    /// @inheritdoc IVanaDataRegistry
    function addFileWithPermissionsAndSchema(
        string calldata url,
        address ownerAddress,
        VanaPermission[] calldata permissions,
        uint256 schemaId
    ) external returns (uint256) {
        return _addVanaFile(url, ownerAddress, permissions, schemaId);
    }

    /// @inheritdoc IDataRegistry
    function fileIdByUrl(address ownerAddress, string calldata url) external view returns (uint256) {
        return _fileIdOf(ownerAddress, url, keccak256(bytes(url)));
    }

    /// @inheritdoc IDataRegistry
    function fileRecords(uint256 fileId) external view returns (FileRecord memory) {
        StoredFile storage file = _file(fileId);
        return FileRecord({
            ownerAddress: file.ownerAddress,
            url: file.url,
            checksum: file.checksum,
            schemaId: file.schemaId,
            addedAtBlock: file.addedAtBlock
        });
    }

    /// @inheritdoc IDataRegistry
    function fileOwner(uint256 fileId) external view returns (address) {
        return _file(fileId).ownerAddress;
    }

    /// @inheritdoc IDataRegistry
    function fileChecksum(uint256 fileId) external view returns (bytes32) {
        return _file(fileId).checksum;
    }

    /// @inheritdoc IVanaDataRegistry
    function files(uint256 fileId) external view returns (VanaFile memory) {
        StoredFile storage file = _file(fileId);
        return VanaFile({
            id: fileId,
            ownerAddress: file.ownerAddress,
            url: file.url,
            schemaId: file.schemaId,
            addedAtBlock: file.addedAtBlock
        });
    }

    /// @inheritdoc IVanaDataRegistry
    function filesCount() external view returns (uint256) {
        return _files.length;
    }

    /// @inheritdoc IDataRegistry
    function fileGrantees(uint256 fileId) external view returns (address[] memory) {
        _file(fileId);
        return _grantees[fileId];
    }

    /// @inheritdoc IDataRegistry
    function addFilePermission(uint256 fileId, address account, bytes calldata key) external {
        _requireFileOwner(fileId);
        _grant(fileId, account, key);
    }

    /// @inheritdoc IVanaDataRegistry
    function addFilePermission(uint256 fileId, address account, string calldata key) external {
        _requireFileOwner(fileId);
        _grant(fileId, account, bytes(key));
    }

    /// @inheritdoc IDataRegistry
    function revokeFilePermission(uint256 fileId, address account) external {
        _requireFileOwner(fileId);
        if (_permissions[fileId][account].length == 0) revert DataRegistryNoPermission(fileId, account);
        delete _permissions[fileId][account];
        _listedWithoutKey[fileId][account] = true;
        emit PermissionRevoked(fileId, account);
    }

    /// @inheritdoc IDataRegistry
    function filePermissions(uint256 fileId, address account) external view returns (bytes memory) {
        _file(fileId);
        return _permissions[fileId][account];
    }

    /// @inheritdoc IDataRegistry
    function addProof(uint256 fileId, FileProof calldata proof) external returns (uint256 proofIndex) {
        if (msg.sender != _teePool) revert DataRegistryNotTeePool(msg.sender);
        StoredFile storage file = _file(fileId);
        if (proof.signature.length != 65) revert DataRegistryInvalidSignature(proof.signature.length);
        StoredProof storage stored = _proofs[fileId].push();
        stored.validator = proof.validator;
        stored.jobId = SafeCast.toUint64(proof.jobId);
        stored.v = uint8(proof.signature[64]);
        stored.score = SafeCast.toUint64(proof.score);
        stored.dlpId = SafeCast.toUint64(proof.dlpId);
        stored.addedAtBlock = SafeCast.toUint64(block.number);
        stored.timestamp = SafeCast.toUint64(block.timestamp);
        stored.programDigest = proof.programDigest;
        stored.r = bytes32(proof.signature[0:32]);
        stored.s = bytes32(proof.signature[32:64]);
        stored.metadata = proof.metadata;
        stored.proofUrl = proof.proofUrl;
        if (bytes(proof.instruction).length != 0) stored.instruction = proof.instruction; // "" is what storage holds
        proofIndex = _proofs[fileId].length; // numbered from 1, as Vana numbers proofs
        emit ProofAdded(fileId, file.ownerAddress, proofIndex, proof.dlpId, proof.score, proof.proofUrl);
    }

    /// @inheritdoc IDataRegistry
    function fileProofRecords(uint256 fileId, uint256 index) external view returns (FileProof memory) {
        return _proofRecord(fileId, index);
    }

    /// @inheritdoc IDataRegistry
    function fileProofScore(uint256 fileId, uint256 index)
        external
        view
        returns (uint256 jobId, uint256 dlpId, uint256 score)
    {
        StoredProof storage proof = _proof(fileId, index);
        return (proof.jobId, proof.dlpId, proof.score);
    }

    /// @inheritdoc IVanaDataRegistry
    function fileProofs(uint256 fileId, uint256 index) external view returns (VanaProof memory proof) {
        if (index == 0) {
            _file(fileId);
            return proof;
        }
        StoredProof storage recorded = _proof(fileId, index);
        proof.signature = _signature(recorded);
        proof.data = VanaProofData({
            score: recorded.score,
            dlpId: recorded.dlpId,
            metadata: recorded.metadata,
            proofUrl: recorded.proofUrl,
            instruction: recorded.instruction
        });
    }

    /// @inheritdoc IDataRegistry
    function fileProofsCount(uint256 fileId) external view returns (uint256) {
        _file(fileId);
        return _proofs[fileId].length;
    }

    /// @inheritdoc ILazaiDataRegistry
    function addFile(string calldata url, string calldata hash) external returns (uint256 fileId) {
        fileId = _addFile(url, bytes32(0), 0);
        _lazaiHashes[fileId] = hash;
    }

    /// @inheritdoc ILazaiDataRegistry
    function addFileWithPermissions(
        string calldata url,
        string calldata hash,
        address ownerAddress,
        VanaPermission[] calldata permissions
    ) external returns (uint256 fileId) {
        fileId = _addVanaFile(url, ownerAddress, permissions, 0);
        _lazaiHashes[fileId] = hash;
    }

    /// @inheritdoc ILazaiDataRegistry
    function addPermissionForFile(uint256 fileId, address account, string calldata key) external {
        _requireFileOwner(fileId);
        _grant(fileId, account, bytes(key));
    }

    /// @inheritdoc ILazaiDataRegistry
    function getFile(uint256 fileId) external view returns (LazaiFile memory file) {
        StoredFile storage record = _file(fileId);
        file.id = fileId;
        file.ownerAddress = record.ownerAddress;
        file.url = record.url;
        file.hash = _lazaiHashes[fileId];
        file.proofIndex = _proofs[fileId].length;
        if (file.proofIndex != 0) {
            address dlp = _dlpRegistry().dlps(_proofs[fileId][file.proofIndex - 1].dlpId);
            if (dlp != address(0)) file.rewardAmount = IDataLiquidityPool(dlp).fileRewards(fileId);
        }
    }

    /// @inheritdoc ILazaiDataRegistry
    function getFileIdByUrl(string calldata url) external view returns (uint256) {
        bytes32 urlHash = keccak256(bytes(url));
        uint256 own = _fileIdOf(msg.sender, url, urlHash);
        if (own != 0) return own;
        uint256 entry = _fileByUrl[urlHash];
        if (entry & URL_REGISTERED_BY_SEVERAL != 0) revert DataRegistryAmbiguousUrl(url);
        return entry;
    }

    /// @inheritdoc ILazaiDataRegistry
    function getFilePermission(uint256 fileId, address account) external view returns (string memory) {
        _file(fileId);
        bytes memory key = _permissions[fileId][account];
        return _isText(key) ? string(key) : HexText.toHex(key);
    }

    /// @inheritdoc ILazaiDataRegistry
    function getFileProof(uint256 fileId, uint256 index) external view returns (LazaiFileProof memory) {
        FileProof memory proof = _proofRecord(fileId, index);
        return LazaiFileProof({
            timestamp: _proof(fileId, index).timestamp,
            hash: ITeePool(_teePool).recordedProofDigest(fileId, proof),
            signature: proof.signature
        });
    }

    /// @inheritdoc ILazaiDataRegistry
    function addProof(uint256, LazaiProof calldata) external view {
        revert DataRegistryProofsOnlyThroughTeePool(_teePool);
    }

    /// @inheritdoc ILazaiDataRegistry
    function requestReward(uint256 fileId, uint256 proofIndex) external {
        // The DataDAO checks the rest (its own proof, once per file, a score worth paying) and pays
        // the file's owner, as when asked directly.
        address dlp = _dlpRegistry().dlps(_proof(fileId, proofIndex).dlpId);
        IDataLiquidityPool(dlp).requestReward(fileId, proofIndex);
    }

    function _addVanaFile(
        string calldata url,
        address ownerAddress,
        VanaPermission[] calldata permissions,
        uint256 schemaId
    ) private returns (uint256 fileId) {
        // Vana lets anyone register a file in another's name (and be front-run doing it); here the
        // owner is the sender, and naming anyone else is refused rather than ignored.
        if (ownerAddress != msg.sender) revert DataRegistryOwnerNotSender(ownerAddress, msg.sender);
        fileId = _addFile(url, bytes32(0), schemaId);
        for (uint256 i = 0; i < permissions.length; i++) {
            _grant(fileId, permissions[i].account, bytes(permissions[i].key));
        }
    }

    function _addFile(string calldata url, bytes32 checksum, uint256 schemaId) private returns (uint256 fileId) {
        if (bytes(url).length == 0) revert DataRegistryEmptyUrl();
        if (schemaId != 0) _requireSchema(schemaId);
        bytes32 urlHash = keccak256(bytes(url));
        uint256 existing = _fileIdOf(msg.sender, url, urlHash);
        if (existing != 0) revert DataRegistryFileAlreadyAdded(existing);
        _files.push(
            StoredFile({
                ownerAddress: msg.sender,
                addedAtBlock: SafeCast.toUint64(block.number),
                // A known schema's id: _requireSchema bounds it by the schemas registered.
                schemaId: SafeCast.toUint32(schemaId),
                checksum: checksum,
                url: url
            })
        );
        fileId = _files.length;
        uint256 entry = _fileByUrl[urlHash];
        if (entry == 0) {
            _fileByUrl[urlHash] = fileId;
        } else {
            if (entry & URL_REGISTERED_BY_SEVERAL == 0) _fileByUrl[urlHash] = entry | URL_REGISTERED_BY_SEVERAL;
            _fileIdByOwnerAndUrl[_ownerAndUrl(msg.sender, url)] = fileId;
        }
        emit FileAdded(fileId, msg.sender, url);
        emit FileRecorded(fileId, msg.sender, checksum, schemaId);
    }

    function _requireSchema(uint256 schemaId) private view {
        if (address(_refinerRegistry) == address(0) || schemaId > _refinerRegistry.schemasCount()) {
            revert DataRegistryUnknownSchema(schemaId);
        }
    }

    /// @dev The file `ownerAddress` registered under `url` (hashed: `urlHash`), or 0: the url's first file
    ///      when it is theirs, else their entry in the second index, which only exists once two owners share a url.
    function _fileIdOf(address ownerAddress, string calldata url, bytes32 urlHash) private view returns (uint256) {
        uint256 entry = _fileByUrl[urlHash];
        uint256 first = entry & ~URL_REGISTERED_BY_SEVERAL;
        if (first != 0 && _files[first - 1].ownerAddress == ownerAddress) return first;
        if (entry & URL_REGISTERED_BY_SEVERAL == 0) return 0;
        return _fileIdByOwnerAndUrl[_ownerAndUrl(ownerAddress, url)];
    }

    function _proofRecord(uint256 fileId, uint256 index) private view returns (FileProof memory proof) {
        StoredProof storage stored = _proof(fileId, index);
        proof.jobId = stored.jobId;
        proof.validator = stored.validator;
        proof.score = stored.score;
        proof.dlpId = stored.dlpId;
        proof.programDigest = stored.programDigest;
        proof.metadata = stored.metadata;
        proof.proofUrl = stored.proofUrl;
        proof.instruction = stored.instruction;
        proof.signature = _signature(stored);
        proof.addedAtBlock = stored.addedAtBlock;
    }

    function _signature(StoredProof storage proof) private view returns (bytes memory) {
        return abi.encodePacked(proof.r, proof.s, proof.v);
    }

    function _proof(uint256 fileId, uint256 index) private view returns (StoredProof storage) {
        _file(fileId);
        if (index == 0 || index > _proofs[fileId].length) revert DataRegistryUnknownProof(fileId, index);
        return _proofs[fileId][index - 1];
    }

    function _validatedFor(uint256 fileId, uint256 dlpId) private view returns (bool) {
        StoredProof[] storage proofs = _proofs[fileId];
        for (uint256 i = 0; i < proofs.length; i++) {
            if (proofs[i].dlpId == dlpId && proofs[i].score > 0) return true;
        }
        return false;
    }

    function _grant(uint256 fileId, address account, bytes calldata key) private {
        if (account == address(0) || key.length == 0) revert DataRegistryInvalidPermission(account);
        bool listed = _permissions[fileId][account].length != 0 || _listedWithoutKey[fileId][account];
        _permissions[fileId][account] = key;
        if (!listed) _grantees[fileId].push(account);
        emit PermissionGranted(fileId, account);
    }

    function _dlpRegistry() private view returns (IDataLiquidityPoolRegistry) {
        return ITeePool(_teePool).dlpRegistry();
    }

    /// @dev Whether `key` is printable ASCII, as the hex text Vana's and LazAI's clients share a key
    ///      as; a key shared as bytes (DataCoop's own calls) is a ciphertext, never all printable.
    function _isText(bytes memory key) private pure returns (bool) {
        for (uint256 i = 0; i < key.length; i++) {
            if (key[i] < 0x20 || key[i] > 0x7e) return false;
        }
        return true;
    }

    function _requireFileOwner(uint256 fileId) private view {
        if (_file(fileId).ownerAddress != msg.sender) revert DataRegistryNotFileOwner(fileId, msg.sender);
    }

    function _file(uint256 fileId) private view returns (StoredFile storage) {
        if (fileId == 0 || fileId > _files.length) revert DataRegistryUnknownFile(fileId);
        return _files[fileId - 1];
    }

    function _ownerAndUrl(address ownerAddress, string calldata url) private pure returns (bytes32) {
        return keccak256(abi.encode(ownerAddress, url));
    }
}
