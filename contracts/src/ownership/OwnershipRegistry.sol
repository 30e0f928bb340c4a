// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IOwnershipRegistry} from "../interfaces/ownership/IOwnershipRegistry.sol";
import {ITeePool} from "../interfaces/ITeePool.sol";
import {IDataRegistry} from "../interfaces/IDataRegistry.sol";

/// @title OwnershipRegistry
/// @notice LazAI's ownership protocol (the TEE signs the data hash and its owner; the registry keeps
///         the mapping; transfer, licensing and delegation are transactions), with what it leaves open
///         closed: the signature is EIP-712 (domain: chain id and this contract) over the hash, the
///         owner, the file and the time, from a validator active in the TeePool; the owner must be the
///         file's owner in the DataRegistry; a hash and a file are bound once each, so a signature
///         cannot be replayed (its digest covers the hash, which can never be bound again).
contract OwnershipRegistry is IOwnershipRegistry, EIP712, ReentrancyGuard {
    using EnumerableSet for EnumerableSet.AddressSet;

    uint8 public constant QUERY = 1;
    uint8 public constant COMPUTE = 2;
    uint8 public constant TRAINING = 4;
    uint8 private constant ALL_SCOPES = QUERY | COMPUTE | TRAINING;

    /// @notice How far an enclave's clock may run ahead of the chain's: a binding dated later is refused.
    uint256 public constant MAX_CLOCK_SKEW = 15 minutes;

    bytes32 public constant BINDING_TYPEHASH =
        keccak256("DataBinding(bytes32 dataHash,address owner,uint256 fileId,uint64 boundAt)");

    /// @dev `epoch` counts transfers: delegates are kept per epoch, so a transfer dismisses them all at once.
    struct Record {
        address owner;
        uint64 boundAt;
        uint32 epoch;
        address validator;
        uint256 fileId;
    }

    ITeePool public immutable teePool;
    IDataRegistry public immutable dataRegistry;

    mapping(bytes32 dataHash => Record) private _records;
    mapping(uint256 fileId => bytes32 dataHash) private _hashOfFile;
    mapping(bytes32 dataHash => mapping(uint32 epoch => EnumerableSet.AddressSet)) private _delegates;
    License[] private _licenses;
    mapping(bytes32 dataHash => uint256[] licenseIds) private _licensesOf;
    mapping(bytes32 dataHash => mapping(address grantee => uint256[] licenseIds)) private _licensesOfGrantee;
    mapping(bytes32 dataHash => Terms) private _terms;
    mapping(address account => uint256) private _earnings;

    constructor(ITeePool pool, IDataRegistry registry) EIP712("DataCoop OwnershipRegistry", "1") {
        if (address(pool) == address(0) || address(registry) == address(0)) revert OwnershipZeroAddress();
        teePool = pool;
        dataRegistry = registry;
    }

    // ---- binding

    /// @inheritdoc IOwnershipRegistry
    function bindingDigest(bytes32 dataHash, address owner, uint256 fileId, uint64 boundAt)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(BINDING_TYPEHASH, dataHash, owner, fileId, boundAt)));
    }

    /// @inheritdoc IOwnershipRegistry
    function bind(bytes32 dataHash, address owner, uint256 fileId, uint64 boundAt, bytes calldata signature)
        external
    {
        if (dataHash == bytes32(0)) revert OwnershipZeroHash();
        if (owner == address(0)) revert OwnershipZeroAddress();
        if (_records[dataHash].owner != address(0)) revert OwnershipAlreadyBound(dataHash, _records[dataHash].owner);
        if (_hashOfFile[fileId] != bytes32(0)) revert OwnershipFileAlreadyBound(fileId, _hashOfFile[fileId]);
        // forge-lint: disable-next-line(block-timestamp)
        if (boundAt > block.timestamp + MAX_CLOCK_SKEW) revert OwnershipBindingInFuture(boundAt, block.timestamp);
        address signer = ECDSA.recover(bindingDigest(dataHash, owner, fileId, boundAt), signature);
        if (!teePool.isActiveTee(signer)) revert OwnershipSignerNotValidator(signer);
        address registered = dataRegistry.fileOwner(fileId);
        if (registered != owner) revert OwnershipNotFileOwner(fileId, owner, registered);

        _records[dataHash] = Record({owner: owner, boundAt: boundAt, epoch: 0, validator: signer, fileId: fileId});
        _hashOfFile[fileId] = dataHash;
        emit DataBound(dataHash, owner, fileId, signer, boundAt);
    }

    // ---- owner's operations

    /// @inheritdoc IOwnershipRegistry
    function transfer(bytes32 dataHash, address to) external {
        Record storage record = _ownedOrDelegated(dataHash);
        if (to == address(0)) revert OwnershipZeroAddress();
        address from = record.owner;
        if (to == from) revert OwnershipAlreadyOwner(dataHash, to);
        record.owner = to;
        record.epoch += 1;
        emit DataTransferred(dataHash, from, to, msg.sender);
    }

    /// @inheritdoc IOwnershipRegistry
    function grantLicense(bytes32 dataHash, LicenseTerms calldata terms) external returns (uint256 licenseId) {
        _ownedOrDelegated(dataHash);
        if (terms.grantee == address(0)) revert OwnershipZeroAddress();
        if (terms.scope == 0 || terms.scope & ~ALL_SCOPES != 0) revert OwnershipInvalidScope(terms.scope);
        // forge-lint: disable-next-line(block-timestamp)
        if (terms.expiresAt != 0 && terms.expiresAt <= block.timestamp) {
            revert OwnershipExpiryInPast(terms.expiresAt, block.timestamp);
        }
        licenseId = _licenses.length + 1;
        _licenses.push(
            License({
                licenseId: licenseId,
                dataHash: dataHash,
                grantedBy: msg.sender,
                revoked: false,
                paid: terms.price == 0,
                terms: terms
            })
        );
        _licensesOf[dataHash].push(licenseId);
        _licensesOfGrantee[dataHash][terms.grantee].push(licenseId);
        emit LicenseGranted(
            dataHash,
            licenseId,
            terms.grantee,
            terms.scope,
            terms.expiresAt,
            terms.price,
            terms.termsHash,
            terms.termsUrl,
            msg.sender
        );
    }

    /// @inheritdoc IOwnershipRegistry
    function revokeLicense(uint256 licenseId) external {
        License storage license = _license(licenseId);
        _ownedOrDelegated(license.dataHash);
        if (license.revoked) revert OwnershipLicenseAlreadyRevoked(licenseId);
        if (license.paid && license.terms.price != 0) revert OwnershipLicenseBought(licenseId);
        license.revoked = true;
        emit LicenseRevoked(license.dataHash, licenseId, msg.sender);
    }

    /// @inheritdoc IOwnershipRegistry
    function payLicense(uint256 licenseId) external payable {
        License storage license = _license(licenseId);
        if (license.paid) revert OwnershipLicenseAlreadyPaid(licenseId);
        if (license.revoked || _expired(license)) revert OwnershipLicenseNotPayable(licenseId);
        uint256 price = license.terms.price;
        if (msg.value != price) revert OwnershipWrongPayment(licenseId, price, msg.value);
        license.paid = true;
        address payee = _records[license.dataHash].owner;
        _earnings[payee] += price;
        emit LicensePaid(license.dataHash, licenseId, msg.sender, payee, price);
    }

    /// @inheritdoc IOwnershipRegistry
    function withdrawEarnings() external nonReentrant returns (uint256 amount) {
        amount = _earnings[msg.sender];
        if (amount == 0) revert OwnershipNothingToWithdraw(msg.sender);
        _earnings[msg.sender] = 0;
        emit EarningsWithdrawn(msg.sender, amount);
        (bool sent,) = msg.sender.call{value: amount}("");
        if (!sent) revert OwnershipWithdrawalFailed(msg.sender, amount);
    }

    /// @inheritdoc IOwnershipRegistry
    function delegate(bytes32 dataHash, address operator) external {
        Record storage record = _ownedByCaller(dataHash);
        if (operator == address(0)) revert OwnershipZeroAddress();
        if (operator == record.owner) revert OwnershipDelegateIsOwner(dataHash, operator);
        if (!_delegates[dataHash][record.epoch].add(operator)) revert OwnershipAlreadyDelegate(dataHash, operator);
        emit DelegateAdded(dataHash, record.owner, operator);
    }

    /// @inheritdoc IOwnershipRegistry
    function undelegate(bytes32 dataHash, address operator) external {
        Record storage record = _ownedByCaller(dataHash);
        if (!_delegates[dataHash][record.epoch].remove(operator)) revert OwnershipNotDelegate(dataHash, operator);
        emit DelegateRemoved(dataHash, record.owner, operator);
    }

    /// @inheritdoc IOwnershipRegistry
    function setTerms(bytes32 dataHash, bytes32 termsHash, string calldata termsUrl) external {
        _ownedOrDelegated(dataHash);
        if (termsHash == bytes32(0) || bytes(termsUrl).length == 0) revert OwnershipEmptyTerms();
        _terms[dataHash] =
            Terms({termsHash: termsHash, termsUrl: termsUrl, setAt: uint64(block.timestamp), setBy: msg.sender});
        emit TermsSet(dataHash, termsHash, termsUrl, msg.sender);
    }

    /// @inheritdoc IOwnershipRegistry
    function clearTerms(bytes32 dataHash) external {
        _ownedOrDelegated(dataHash);
        if (_terms[dataHash].setAt == 0) revert OwnershipNoTerms(dataHash);
        delete _terms[dataHash];
        emit TermsCleared(dataHash, msg.sender);
    }

    // ---- reads

    /// @inheritdoc IOwnershipRegistry
    function earningsOf(address account) external view returns (uint256) {
        return _earnings[account];
    }

    /// @inheritdoc IOwnershipRegistry
    function termsOf(bytes32 dataHash) external view returns (Terms memory) {
        return _terms[dataHash];
    }

    /// @inheritdoc IOwnershipRegistry
    function ownerOf(bytes32 dataHash) external view returns (address) {
        return _records[dataHash].owner;
    }

    /// @inheritdoc IOwnershipRegistry
    function bindingOf(bytes32 dataHash) external view returns (Binding memory) {
        Record storage record = _records[dataHash];
        return Binding({
            owner: record.owner, fileId: record.fileId, boundAt: record.boundAt, validator: record.validator
        });
    }

    /// @inheritdoc IOwnershipRegistry
    function hashOfFile(uint256 fileId) external view returns (bytes32) {
        return _hashOfFile[fileId];
    }

    /// @inheritdoc IOwnershipRegistry
    function licensesOf(bytes32 dataHash) external view returns (License[] memory licenses) {
        uint256[] storage ids = _licensesOf[dataHash];
        licenses = new License[](ids.length);
        for (uint256 i = 0; i < ids.length; i++) {
            licenses[i] = _licenses[ids[i] - 1];
        }
    }

    /// @inheritdoc IOwnershipRegistry
    function licenseRecord(uint256 licenseId) external view returns (License memory) {
        return _license(licenseId);
    }

    /// @inheritdoc IOwnershipRegistry
    function licensesCount() external view returns (uint256) {
        return _licenses.length;
    }

    /// @inheritdoc IOwnershipRegistry
    function isLicenseActive(uint256 licenseId) public view returns (bool) {
        License storage license = _license(licenseId);
        return license.paid && !license.revoked && !_expired(license);
    }

    /// @inheritdoc IOwnershipRegistry
    function hasActiveLicense(bytes32 dataHash, address grantee, uint8 scope) external view returns (bool) {
        if (scope == 0 || scope & ~ALL_SCOPES != 0) revert OwnershipInvalidScope(scope);
        uint256[] storage ids = _licensesOfGrantee[dataHash][grantee];
        for (uint256 i = 0; i < ids.length; i++) {
            if (_licenses[ids[i] - 1].terms.scope & scope == scope && isLicenseActive(ids[i])) return true;
        }
        return false;
    }

    /// @inheritdoc IOwnershipRegistry
    function delegatesOf(bytes32 dataHash) external view returns (address[] memory) {
        return _delegates[dataHash][_records[dataHash].epoch].values();
    }

    /// @inheritdoc IOwnershipRegistry
    function isDelegate(bytes32 dataHash, address account) public view returns (bool) {
        return _delegates[dataHash][_records[dataHash].epoch].contains(account);
    }

    // ---- internals

    function _bound(bytes32 dataHash) private view returns (Record storage record) {
        record = _records[dataHash];
        if (record.owner == address(0)) revert OwnershipUnknownHash(dataHash);
    }

    function _ownedByCaller(bytes32 dataHash) private view returns (Record storage record) {
        record = _bound(dataHash);
        if (record.owner != msg.sender) revert OwnershipNotOwner(dataHash, msg.sender);
    }

    function _ownedOrDelegated(bytes32 dataHash) private view returns (Record storage record) {
        record = _bound(dataHash);
        if (record.owner != msg.sender && !isDelegate(dataHash, msg.sender)) {
            revert OwnershipNotOwnerOrDelegate(dataHash, msg.sender);
        }
    }

    function _expired(License storage license) private view returns (bool) {
        uint64 expiresAt = license.terms.expiresAt;
        // forge-lint: disable-next-line(block-timestamp)
        return expiresAt != 0 && block.timestamp >= expiresAt;
    }

    function _license(uint256 licenseId) private view returns (License storage) {
        if (licenseId == 0 || licenseId > _licenses.length) revert OwnershipUnknownLicense(licenseId);
        return _licenses[licenseId - 1];
    }
}
