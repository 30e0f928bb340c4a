// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IDataUnions} from "../interfaces/union/IDataUnions.sol";
import {IOperatorTemplates} from "../interfaces/union/IOperatorTemplates.sol";
import {IOwnershipRegistry} from "../interfaces/ownership/IOwnershipRegistry.sol";
import {IDataRefinerRegistry} from "../interfaces/IDataRefinerRegistry.sol";
import {Constraints} from "./Constraints.sol";

/// @title DataUnions
/// @notice Leaves with terms, unions over them with consents, and the check a job start makes: DataToken's
///         lifecycle with what it leaves open closed (consents are revocable, a child's changed terms stop
///         its unions, nothing is active without every consent, and every refusal is named).
/// @dev No loop runs over dependents: a union's activity is read by walking down its tree, which
///      MAX_DEPTH and MAX_SLOTS bound. Children must exist before their union, so no cycle can be formed.
contract DataUnions is IDataUnions {
    /// @notice The deepest a union may be: a leaf is 0, a union one more than its deepest child.
    uint256 public constant MAX_DEPTH = 4;
    /// @notice The most leaf slots a union covers, counting a leaf once per path to it.
    uint256 public constant MAX_SLOTS = 16;

    struct Record {
        AssetKind kind;
        address creator;
        uint64 activatedAt;
        uint8 depth;
        uint8 slots;
        bytes32 dataHash;
        uint256 refinerId;
        string table;
        uint256 templateId;
        uint256[] children;
        bytes32 termsHash;
        uint256 price;
    }

    struct TermsRecord {
        Constraint[] constraints;
        uint256 price;
        bytes32 termsHash;
        uint64 setAt;
        address setBy;
    }

    IOperatorTemplates public immutable templates;
    IOwnershipRegistry public immutable ownership;
    IDataRefinerRegistry public immutable refiners;

    Record[] private _assets;
    mapping(uint256 unionId => Constraint[]) private _constraints;
    mapping(uint256 leafId => mapping(uint256 templateId => TermsRecord)) private _terms;
    /// @dev Counts every setting and clearing of a leaf's terms for a template, and goes into the terms'
    ///      hash: a consent is to one setting, so terms cleared and set again, even the same ones, need it anew.
    mapping(uint256 leafId => mapping(uint256 templateId => uint256)) private _termsVersion;
    mapping(uint256 leafId => uint256[] templateIds) private _templatesOf;
    mapping(uint256 leafId => mapping(uint256 templateId => bool)) private _listed;
    mapping(uint256 unionId => mapping(uint256 childIndex => Consent)) private _consents;
    mapping(bytes32 dataHash => uint256 leafId) private _leafOfFile;
    mapping(bytes32 tableKey => uint256 leafId) private _leafOfTable;

    constructor(IOperatorTemplates templates_, IOwnershipRegistry ownership_, IDataRefinerRegistry refiners_) {
        if (address(templates_) == address(0) || address(ownership_) == address(0) || address(refiners_) == address(0))
        {
            revert DataUnionsZeroAddress();
        }
        templates = templates_;
        ownership = ownership_;
        refiners = refiners_;
    }

    // ---- leaves and their terms

    /// @inheritdoc IDataUnions
    function registerFileLeaf(bytes32 dataHash) external returns (uint256 assetId) {
        address owner = ownership.ownerOf(dataHash);
        if (owner == address(0)) revert DataUnionsUnboundHash(dataHash);
        // 0: the leaf is not registered yet
        if (msg.sender != owner && !ownership.isDelegate(dataHash, msg.sender)) {
            revert DataUnionsNotAssetOwner(0, msg.sender);
        }
        if (_leafOfFile[dataHash] != 0) revert DataUnionsLeafExists(_leafOfFile[dataHash]);
        assetId = _push(AssetKind.FILE);
        _assets[assetId - 1].dataHash = dataHash;
        _leafOfFile[dataHash] = assetId;
        emit LeafRegistered(assetId, AssetKind.FILE, dataHash, 0, "", owner);
    }

    /// @inheritdoc IDataUnions
    function registerTableLeaf(uint256 refinerId, string calldata table) external returns (uint256 assetId) {
        if (refinerId == 0 || refinerId > refiners.refinersCount()) revert DataUnionsUnknownRefiner(refinerId);
        if (bytes(table).length == 0) revert DataUnionsEmptyTable();
        address owner = refiners.dlpOwner(refiners.refinerDlpId(refinerId));
        if (msg.sender != owner) revert DataUnionsNotAssetOwner(0, msg.sender);
        bytes32 key = keccak256(abi.encode(refinerId, table));
        if (_leafOfTable[key] != 0) revert DataUnionsLeafExists(_leafOfTable[key]);
        assetId = _push(AssetKind.TABLE);
        Record storage record = _assets[assetId - 1];
        record.refinerId = refinerId;
        record.table = table;
        _leafOfTable[key] = assetId;
        emit LeafRegistered(assetId, AssetKind.TABLE, bytes32(0), refinerId, table, owner);
    }

    /// @inheritdoc IDataUnions
    function setTerms(uint256 leafId, uint256 templateId, Constraint[] calldata constraints, uint256 price) external {
        _leaf(leafId);
        _requireActor(leafId);
        uint256 params = templates.paramCount(templateId);
        if (constraints.length != params) revert DataUnionsConstraintCount(constraints.length, params);
        TermsRecord storage terms = _terms[leafId][templateId];
        if (!_listed[leafId][templateId]) {
            _listed[leafId][templateId] = true;
            _templatesOf[leafId].push(templateId);
        }
        delete terms.constraints;
        for (uint256 i = 0; i < constraints.length; i++) {
            if (!Constraints.isWellFormed(constraints[i])) revert DataUnionsBadConstraint(i);
            terms.constraints.push(constraints[i]);
        }
        uint256 version = ++_termsVersion[leafId][templateId];
        bytes32 termsHash = keccak256(abi.encode(leafId, templateId, version, constraints, price));
        terms.price = price;
        terms.termsHash = termsHash;
        terms.setAt = uint64(block.timestamp);
        terms.setBy = msg.sender;
        emit TermsSet(leafId, templateId, termsHash, price, msg.sender);
    }

    /// @inheritdoc IDataUnions
    function clearTerms(uint256 leafId, uint256 templateId) external {
        _leaf(leafId);
        _requireActor(leafId);
        TermsRecord storage terms = _terms[leafId][templateId];
        if (terms.setAt == 0) revert DataUnionsNoTerms(leafId, templateId);
        delete _terms[leafId][templateId];
        ++_termsVersion[leafId][templateId];
        emit TermsCleared(leafId, templateId, msg.sender);
    }

    // ---- unions

    /// @inheritdoc IDataUnions
    function createUnion(uint256 templateId, uint256[] calldata children, Constraint[] calldata constraints, uint256 price)
        external
        returns (uint256 assetId)
    {
        return _create(AssetKind.UNION, templateId, children, constraints, price);
    }

    /// @inheritdoc IDataUnions
    function createAlgorithm(uint256 templateId, uint256 childId, Constraint[] calldata constraints, uint256 price)
        external
        returns (uint256 assetId)
    {
        uint256[] memory children = new uint256[](1);
        children[0] = childId;
        return _create(AssetKind.ALGORITHM, templateId, children, constraints, price);
    }

    /// @inheritdoc IDataUnions
    function consent(uint256 assetId, uint256 childIndex) external {
        Record storage union = _union(assetId);
        uint256 childId = _child(union, assetId, childIndex);
        _requireActor(childId);
        bytes32 current = _currentTermsHash(childId, union.templateId);
        if (_consents[assetId][childIndex].termsHash == current) revert DataUnionsAlreadyConsented(assetId, childIndex);
        if (_assets[childId - 1].kind == AssetKind.FILE || _assets[childId - 1].kind == AssetKind.TABLE) {
            // The leaf's terms may have changed since the union was created: its constraints must fulfil them now.
            uint256 offset;
            for (uint256 i = 0; i < childIndex; i++) {
                offset += _assets[union.children[i] - 1].slots;
            }
            _checkLeafFulfilled(assetId, childId, union.templateId, offset * templates.paramCount(union.templateId));
        }
        _consents[assetId][childIndex] = Consent({termsHash: current, by: msg.sender, at: uint64(block.timestamp)});
        emit ConsentGranted(assetId, childId, childIndex, current, msg.sender);
    }

    /// @inheritdoc IDataUnions
    function revokeConsent(uint256 assetId, uint256 childIndex) external {
        Record storage union = _union(assetId);
        uint256 childId = _child(union, assetId, childIndex);
        _requireActor(childId);
        if (_consents[assetId][childIndex].termsHash == bytes32(0)) revert DataUnionsNoConsent(assetId, childIndex);
        delete _consents[assetId][childIndex];
        emit ConsentRevoked(assetId, childId, childIndex, msg.sender);
    }

    /// @inheritdoc IDataUnions
    function activate(uint256 assetId) external {
        Record storage union = _union(assetId);
        if (msg.sender != union.creator) revert DataUnionsNotCreator(assetId, msg.sender);
        if (union.activatedAt != 0) revert DataUnionsAlreadyActivated(assetId);
        for (uint256 i = 0; i < union.children.length; i++) {
            uint256 childId = union.children[i];
            if (!_consentStands(assetId, i, childId, union.templateId)) revert DataUnionsMissingConsent(assetId, i);
            if (!_isActive(childId)) revert DataUnionsChildInactive(assetId, childId);
        }
        union.activatedAt = uint64(block.timestamp);
        emit UnionActivated(assetId, msg.sender);
    }

    // ---- reads

    /// @inheritdoc IDataUnions
    function isActive(uint256 assetId) external view returns (bool) {
        _asset(assetId);
        return _isActive(assetId);
    }

    /// @inheritdoc IDataUnions
    function authorize(uint256 assetId, uint256 templateId, uint256[] calldata values)
        external
        view
        returns (bytes32 termsHash, uint256 price)
    {
        Record storage record = _asset(assetId);
        uint256 params = templates.paramCount(templateId);
        if (record.kind == AssetKind.FILE || record.kind == AssetKind.TABLE) {
            TermsRecord storage terms = _terms[assetId][templateId];
            if (terms.setAt == 0) revert DataUnionsNoTerms(assetId, templateId);
            _checkValues(terms.constraints, values, params);
            return (terms.termsHash, terms.price);
        }
        if (record.templateId != templateId) revert DataUnionsTemplateMismatch(assetId, record.templateId, templateId);
        if (!_isActive(assetId)) revert DataUnionsNotActive(assetId);
        _checkValues(_constraints[assetId], values, record.slots * params);
        return (record.termsHash, _priceOf(assetId, templateId));
    }

    /// @inheritdoc IDataUnions
    function ownerOf(uint256 assetId) public view returns (address) {
        Record storage record = _asset(assetId);
        if (record.kind == AssetKind.FILE) return ownership.ownerOf(record.dataHash);
        if (record.kind == AssetKind.TABLE) return refiners.dlpOwner(refiners.refinerDlpId(record.refinerId));
        return record.creator;
    }

    /// @inheritdoc IDataUnions
    function asset(uint256 assetId) external view returns (Asset memory) {
        Record storage r = _asset(assetId);
        return Asset({
            assetId: assetId,
            kind: r.kind,
            creator: r.creator,
            dataHash: r.dataHash,
            refinerId: r.refinerId,
            table: r.table,
            templateId: r.templateId,
            children: r.children,
            slots: r.slots,
            depth: r.depth,
            termsHash: r.termsHash,
            price: r.price,
            activatedAt: r.activatedAt
        });
    }

    /// @inheritdoc IDataUnions
    function constraintsOf(uint256 assetId) external view returns (Constraint[] memory) {
        _asset(assetId);
        return _constraints[assetId];
    }

    /// @inheritdoc IDataUnions
    function termsOf(uint256 leafId, uint256 templateId) external view returns (Terms memory) {
        _leaf(leafId);
        TermsRecord storage t = _terms[leafId][templateId];
        return Terms({
            templateId: templateId,
            constraints: t.constraints,
            price: t.price,
            termsHash: t.termsHash,
            setAt: t.setAt,
            setBy: t.setBy
        });
    }

    /// @inheritdoc IDataUnions
    function templatesOf(uint256 leafId) external view returns (uint256[] memory) {
        _leaf(leafId);
        return _templatesOf[leafId];
    }

    /// @inheritdoc IDataUnions
    function consentOf(uint256 assetId, uint256 childIndex) external view returns (Consent memory) {
        Record storage union = _union(assetId);
        _child(union, assetId, childIndex);
        return _consents[assetId][childIndex];
    }

    /// @inheritdoc IDataUnions
    function leafOfFile(bytes32 dataHash) external view returns (uint256) {
        return _leafOfFile[dataHash];
    }

    /// @inheritdoc IDataUnions
    function leafOfTable(uint256 refinerId, string calldata table) external view returns (uint256) {
        return _leafOfTable[keccak256(abi.encode(refinerId, table))];
    }

    /// @inheritdoc IDataUnions
    function assetsCount() external view returns (uint256) {
        return _assets.length;
    }

    // ---- internals

    function _push(AssetKind kind) private returns (uint256 assetId) {
        _assets.push();
        assetId = _assets.length;
        Record storage record = _assets[assetId - 1];
        record.kind = kind;
        record.creator = msg.sender;
        record.slots = 1;
    }

    function _create(
        AssetKind kind,
        uint256 templateId,
        uint256[] memory children,
        Constraint[] calldata constraints,
        uint256 price
    ) private returns (uint256 assetId) {
        uint256 params = templates.paramCount(templateId);
        (uint256 slots, uint256 depth) = _shape(children);
        if (constraints.length != slots * params) revert DataUnionsConstraintCount(constraints.length, slots * params);
        assetId = _push(kind);
        _storeConstraints(assetId, kind, constraints);
        _checkChildrenFulfilled(assetId, templateId, children, params);

        Record storage record = _assets[assetId - 1];
        record.templateId = templateId;
        record.children = children;
        record.slots = uint8(slots);
        record.depth = uint8(depth);
        record.price = price;
        bytes32 termsHash = keccak256(abi.encode(assetId, kind, templateId, children, constraints, price));
        record.termsHash = termsHash;
        emit UnionCreated(assetId, kind, templateId, children, termsHash, price, msg.sender);
    }

    /// @dev How many slots and how deep a union over `children` is; refuses unknown, terminal, repeated and too
    ///      many children, and a tree too deep.
    function _shape(uint256[] memory children) private view returns (uint256 slots, uint256 depth) {
        if (children.length == 0) revert DataUnionsNoChildren();
        if (children.length > MAX_SLOTS) revert DataUnionsTooManySlots(children.length, MAX_SLOTS);
        for (uint256 i = 0; i < children.length; i++) {
            Record storage child = _asset(children[i]);
            if (child.kind == AssetKind.ALGORITHM) revert DataUnionsTerminalChild(children[i]);
            for (uint256 j = 0; j < i; j++) {
                if (children[j] == children[i]) revert DataUnionsDuplicateChild(children[i]);
            }
            slots += child.slots;
            if (child.depth >= depth) depth = child.depth + 1;
        }
        if (slots > MAX_SLOTS) revert DataUnionsTooManySlots(slots, MAX_SLOTS);
        if (depth > MAX_DEPTH) revert DataUnionsTooDeep(depth, MAX_DEPTH);
    }

    function _storeConstraints(uint256 assetId, AssetKind kind, Constraint[] calldata constraints) private {
        Constraint[] storage stored = _constraints[assetId];
        for (uint256 i = 0; i < constraints.length; i++) {
            if (!Constraints.isWellFormed(constraints[i])) revert DataUnionsBadConstraint(i);
            if (kind == AssetKind.ALGORITHM && constraints[i].kind != ConstraintKind.FIXED) revert DataUnionsNotFixed(i);
            stored.push(constraints[i]);
        }
    }

    function _checkChildrenFulfilled(uint256 assetId, uint256 templateId, uint256[] memory children, uint256 params)
        private
        view
    {
        Constraint[] storage offered = _constraints[assetId];
        uint256 offset;
        for (uint256 i = 0; i < children.length; i++) {
            Record storage child = _assets[children[i] - 1];
            if (child.kind == AssetKind.FILE || child.kind == AssetKind.TABLE) {
                _checkLeafFulfilled(assetId, children[i], templateId, offset);
            } else {
                if (child.templateId != templateId) {
                    revert DataUnionsTemplateMismatch(children[i], templateId, child.templateId);
                }
                Constraint[] storage required = _constraints[children[i]];
                for (uint256 k = 0; k < required.length; k++) {
                    if (!Constraints.fulfils(offered[offset + k], required[k])) {
                        revert DataUnionsTermsNotFulfilled(children[i], k / params, k % params);
                    }
                }
            }
            offset += child.slots * params;
        }
    }

    /// @dev Union `unionId`'s constraints from `offset` on must fulfil leaf `leafId`'s terms for `templateId`.
    function _checkLeafFulfilled(uint256 unionId, uint256 leafId, uint256 templateId, uint256 offset) private view {
        TermsRecord storage terms = _terms[leafId][templateId];
        if (terms.setAt == 0) revert DataUnionsNoTerms(leafId, templateId);
        Constraint[] storage offered = _constraints[unionId];
        for (uint256 p = 0; p < terms.constraints.length; p++) {
            if (!Constraints.fulfils(offered[offset + p], terms.constraints[p])) {
                revert DataUnionsTermsNotFulfilled(leafId, 0, p);
            }
        }
    }

    function _checkValues(Constraint[] storage constraints, uint256[] calldata values, uint256 expected) private view {
        if (values.length != expected) revert DataUnionsConstraintCount(values.length, expected);
        for (uint256 i = 0; i < values.length; i++) {
            if (!Constraints.allows(constraints[i], values[i])) revert DataUnionsValueRefused(i, values[i]);
        }
    }

    function _isActive(uint256 assetId) private view returns (bool) {
        Record storage record = _assets[assetId - 1];
        if (record.kind == AssetKind.FILE || record.kind == AssetKind.TABLE) return true;
        if (record.activatedAt == 0) return false;
        for (uint256 i = 0; i < record.children.length; i++) {
            uint256 childId = record.children[i];
            if (!_consentStands(assetId, i, childId, record.templateId) || !_isActive(childId)) return false;
        }
        return true;
    }

    function _consentStands(uint256 unionId, uint256 childIndex, uint256 childId, uint256 templateId)
        private
        view
        returns (bool)
    {
        bytes32 consented = _consents[unionId][childIndex].termsHash;
        return consented != bytes32(0) && consented == _currentTermsHash(childId, templateId);
    }

    /// @dev A leaf's hash for the template (zero when it does not permit it); a union's, fixed at creation.
    function _currentTermsHash(uint256 childId, uint256 templateId) private view returns (bytes32) {
        Record storage child = _assets[childId - 1];
        if (child.kind == AssetKind.FILE || child.kind == AssetKind.TABLE) {
            TermsRecord storage terms = _terms[childId][templateId];
            return terms.termsHash;
        }
        return child.termsHash;
    }

    function _priceOf(uint256 assetId, uint256 templateId) private view returns (uint256 price) {
        Record storage record = _assets[assetId - 1];
        if (record.kind == AssetKind.FILE || record.kind == AssetKind.TABLE) return _terms[assetId][templateId].price;
        price = record.price;
        for (uint256 i = 0; i < record.children.length; i++) {
            price += _priceOf(record.children[i], templateId);
        }
    }

    function _requireActor(uint256 assetId) private view {
        if (msg.sender == ownerOf(assetId)) return;
        Record storage record = _assets[assetId - 1];
        if (record.kind == AssetKind.FILE && ownership.isDelegate(record.dataHash, msg.sender)) return;
        revert DataUnionsNotAssetOwner(assetId, msg.sender);
    }

    function _asset(uint256 assetId) private view returns (Record storage) {
        if (assetId == 0 || assetId > _assets.length) revert DataUnionsUnknownAsset(assetId);
        return _assets[assetId - 1];
    }

    function _leaf(uint256 leafId) private view returns (Record storage record) {
        record = _asset(leafId);
        if (record.kind != AssetKind.FILE && record.kind != AssetKind.TABLE) revert DataUnionsNotLeaf(leafId);
    }

    function _union(uint256 assetId) private view returns (Record storage record) {
        record = _asset(assetId);
        if (record.kind != AssetKind.UNION && record.kind != AssetKind.ALGORITHM) revert DataUnionsNotUnion(assetId);
    }

    function _child(Record storage union, uint256 assetId, uint256 childIndex) private view returns (uint256) {
        if (childIndex >= union.children.length) revert DataUnionsUnknownChild(assetId, childIndex);
        return union.children[childIndex];
    }
}
