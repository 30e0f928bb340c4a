// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IDataRegistry} from "./interfaces/IDataRegistry.sol";

/// @title DataRegistry
/// @notice Files, their owners, wrapped keys and proofs. The owner of a file is always the account
///         that registered it, and a url is unique per owner, so copying someone's pending
///         registration neither blocks it nor makes the copier its owner. Proofs come only from
///         the validator pool, which checks them first.
contract DataRegistry is IDataRegistry, Ownable {
    address private _teePool;
    FileRecord[] private _files;
    mapping(bytes32 ownerAndUrl => uint256 fileId) private _fileIdByOwnerAndUrl;
    mapping(uint256 fileId => mapping(address account => bytes key)) private _permissions;
    mapping(uint256 fileId => FileProof[] proofs) private _proofs;

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

    /// @inheritdoc IDataRegistry
    function addFile(string calldata url, bytes32 checksum) external returns (uint256) {
        return _addFile(url, checksum);
    }

    /// @inheritdoc IDataRegistry
    function addFileWithPermissions(string calldata url, bytes32 checksum, Permission[] calldata permissions)
        external
        returns (uint256 fileId)
    {
        fileId = _addFile(url, checksum);
        for (uint256 i = 0; i < permissions.length; i++) {
            _grant(fileId, permissions[i].account, permissions[i].key);
        }
    }

    /// @inheritdoc IDataRegistry
    function fileIdByUrl(address ownerAddress, string calldata url) external view returns (uint256) {
        return _fileIdByOwnerAndUrl[_ownerAndUrl(ownerAddress, url)];
    }

    /// @inheritdoc IDataRegistry
    function files(uint256 fileId) external view returns (FileRecord memory) {
        return _file(fileId);
    }

    /// @inheritdoc IDataRegistry
    function filesCount() external view returns (uint256) {
        return _files.length;
    }

    /// @inheritdoc IDataRegistry
    function addFilePermission(uint256 fileId, address account, bytes calldata key) external {
        _requireFileOwner(fileId);
        _grant(fileId, account, key);
    }

    /// @inheritdoc IDataRegistry
    function revokeFilePermission(uint256 fileId, address account) external {
        _requireFileOwner(fileId);
        if (_permissions[fileId][account].length == 0) revert DataRegistryNoPermission(fileId, account);
        delete _permissions[fileId][account];
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
        FileRecord storage file = _file(fileId);
        proofIndex = _proofs[fileId].length;
        _proofs[fileId].push(proof);
        _proofs[fileId][proofIndex].addedAtBlock = block.number;
        emit ProofAdded(fileId, file.ownerAddress, proofIndex, proof.dlpId, proof.score, proof.proofUrl);
    }

    /// @inheritdoc IDataRegistry
    function fileProofs(uint256 fileId, uint256 index) external view returns (FileProof memory) {
        _file(fileId);
        if (index >= _proofs[fileId].length) revert DataRegistryUnknownProof(fileId, index);
        return _proofs[fileId][index];
    }

    /// @inheritdoc IDataRegistry
    function fileProofsCount(uint256 fileId) external view returns (uint256) {
        _file(fileId);
        return _proofs[fileId].length;
    }

    function _addFile(string calldata url, bytes32 checksum) private returns (uint256 fileId) {
        if (bytes(url).length == 0) revert DataRegistryEmptyUrl();
        if (checksum == bytes32(0)) revert DataRegistryEmptyChecksum();
        bytes32 key = _ownerAndUrl(msg.sender, url);
        uint256 existing = _fileIdByOwnerAndUrl[key];
        if (existing != 0) revert DataRegistryFileAlreadyAdded(existing);
        _files.push(FileRecord({ownerAddress: msg.sender, url: url, checksum: checksum, addedAtBlock: block.number}));
        fileId = _files.length;
        _fileIdByOwnerAndUrl[key] = fileId;
        emit FileAdded(fileId, msg.sender, url, checksum);
    }

    function _grant(uint256 fileId, address account, bytes calldata key) private {
        if (account == address(0) || key.length == 0) revert DataRegistryInvalidPermission(account);
        _permissions[fileId][account] = key;
        emit PermissionGranted(fileId, account);
    }

    function _requireFileOwner(uint256 fileId) private view {
        if (_file(fileId).ownerAddress != msg.sender) revert DataRegistryNotFileOwner(fileId, msg.sender);
    }

    function _file(uint256 fileId) private view returns (FileRecord storage) {
        if (fileId == 0 || fileId > _files.length) revert DataRegistryUnknownFile(fileId);
        return _files[fileId - 1];
    }

    function _ownerAndUrl(address ownerAddress, string calldata url) private pure returns (bytes32) {
        return keccak256(abi.encode(ownerAddress, url));
    }
}
