// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {DataUnions} from "../../src/union/DataUnions.sol";
import {IDataUnions} from "../../src/interfaces/union/IDataUnions.sol";

/// @notice Random terms changes, consents, revocations and activations by the leaves' owners, the aggregator
///         and a stranger, over DataToken's shape: two leaves, a union over both, an algorithm asset on it.
///         It keeps its own account of each child's current terms and of the terms each consent was for.
contract UnionHandler {
    DataUnions internal immutable _unions;
    uint256 internal immutable _template;
    address internal immutable _aggregator;
    address internal immutable _stranger;
    uint256[] internal _leaves;
    uint256[] internal _composites;

    /// The terms hash the handler last saw set on each leaf (zero once cleared).
    mapping(uint256 leafId => bytes32) public currentTerms;
    /// The child terms hash each successful consent was given for (zero once revoked).
    mapping(uint256 unionId => mapping(uint256 childIndex => bytes32)) public consentedTerms;
    uint256 public strangerSuccesses;

    constructor(
        DataUnions unions,
        uint256 templateId,
        address aggregator,
        address stranger,
        uint256[] memory leaves,
        uint256[] memory composites
    ) {
        _unions = unions;
        _template = templateId;
        _aggregator = aggregator;
        _stranger = stranger;
        _leaves = leaves;
        _composites = composites;
        for (uint256 i = 0; i < leaves.length; i++) {
            currentTerms[leaves[i]] = unions.termsOf(leaves[i], templateId).termsHash;
        }
    }

    function composites() external view returns (uint256[] memory) {
        return _composites;
    }

    /// @dev Sets one of three term variants on a leaf: two the union fulfils, one it does not; or clears them.
    function setTerms(uint256 leafSeed, uint256 variant, bool clear) external {
        uint256 leafId = _leaves[leafSeed % _leaves.length];
        vm.startPrank(_unions.ownerOf(leafId));
        if (clear) {
            try _unions.clearTerms(leafId, _template) {
                currentTerms[leafId] = bytes32(0);
            } catch {}
        } else {
            IDataUnions.Constraint[] memory terms = new IDataUnions.Constraint[](2);
            terms[0].kind = IDataUnions.ConstraintKind.FREE;
            terms[1].kind = IDataUnions.ConstraintKind.RANGE;
            terms[1].values = new uint256[](2);
            terms[1].values[1] = [uint256(10), 20, 1][variant % 3]; // [0, 1] no longer admits the union's 2
            _unions.setTerms(leafId, _template, terms, variant % 3);
            currentTerms[leafId] = _unions.termsOf(leafId, _template).termsHash;
        }
        vm.stopPrank();
    }

    function consent(uint256 compositeSeed, uint256 childIndex, bool asStranger) external {
        uint256 unionId = _composites[compositeSeed % _composites.length];
        uint256[] memory children = _unions.asset(unionId).children;
        childIndex = childIndex % children.length;
        vm.prank(asStranger ? _stranger : _unions.ownerOf(children[childIndex]));
        try _unions.consent(unionId, childIndex) {
            if (asStranger) strangerSuccesses++;
            consentedTerms[unionId][childIndex] = _childTerms(children[childIndex]);
        } catch {}
    }

    function revoke(uint256 compositeSeed, uint256 childIndex, bool asStranger) external {
        uint256 unionId = _composites[compositeSeed % _composites.length];
        uint256[] memory children = _unions.asset(unionId).children;
        childIndex = childIndex % children.length;
        vm.prank(asStranger ? _stranger : _unions.ownerOf(children[childIndex]));
        try _unions.revokeConsent(unionId, childIndex) {
            if (asStranger) strangerSuccesses++;
            consentedTerms[unionId][childIndex] = bytes32(0);
        } catch {}
    }

    function activate(uint256 compositeSeed, bool asStranger) external {
        vm.prank(asStranger ? _stranger : _aggregator);
        try _unions.activate(_composites[compositeSeed % _composites.length]) {
            if (asStranger) strangerSuccesses++;
        } catch {}
    }

    /// @dev What a child's consent is for: a leaf's terms as the handler saw them set, a union's own hash.
    function _childTerms(uint256 childId) internal view returns (bytes32) {
        IDataUnions.AssetKind kind = _unions.asset(childId).kind;
        if (kind == IDataUnions.AssetKind.FILE || kind == IDataUnions.AssetKind.TABLE) return currentTerms[childId];
        return _unions.asset(childId).termsHash;
    }

    function childTerms(uint256 childId) external view returns (bytes32) {
        return _childTerms(childId);
    }
}
