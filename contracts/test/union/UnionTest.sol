// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {DataCoopTest} from "../utils/DataCoopTest.sol";
import {OperatorTemplates} from "../../src/union/OperatorTemplates.sol";
import {DataUnions} from "../../src/union/DataUnions.sol";
import {IOperatorTemplates} from "../../src/interfaces/union/IOperatorTemplates.sol";
import {IDataUnions} from "../../src/interfaces/union/IDataUnions.sol";

/// @notice The DataToken fixture: alice's and bob's files bound in the ownership registry and registered
///         as leaves, the "add" template {arg1, arg2}, and carol the aggregator.
abstract contract UnionTest is DataCoopTest {
    bytes32 internal constant ADD_DIGEST = keccak256("add program");

    OperatorTemplates internal templates;
    DataUnions internal unions;
    address internal carol = vm.addr(0xCA401);
    address internal mallory = vm.addr(0xBAD);
    uint256 internal addTemplate;
    uint256 private _files;

    function setUp() public virtual override {
        super.setUp();
        templates = deployment.operatorTemplates;
        unions = deployment.dataUnions;
        vm.label(carol, "carol");
        vm.label(mallory, "mallory");
        addTemplate = templates.registerTemplate(IOperatorTemplates.Kind.ALGORITHM, ADD_DIGEST, "add", _names2());
    }

    /// @dev A file of `owner` bound to its data hash and registered as a leaf by its owner.
    function _leaf(address owner) internal returns (uint256 leafId) {
        _files++;
        bytes32 dataHash = keccak256(abi.encode("data", _files));
        uint256 fileId = _addFile(owner, string.concat("ipfs://file-", Strings.toString(_files)));
        uint64 boundAt = uint64(block.timestamp);
        deployment.ownershipRegistry.bind(
            dataHash,
            owner,
            fileId,
            boundAt,
            _sign(TEE_KEY, deployment.ownershipRegistry.bindingDigest(dataHash, owner, fileId, boundAt))
        );
        vm.prank(owner);
        leafId = unions.registerFileLeaf(dataHash);
    }

    function _setTerms(uint256 leafId, IDataUnions.Constraint[] memory constraints, uint256 price) internal {
        vm.prank(unions.ownerOf(leafId));
        unions.setTerms(leafId, addTemplate, constraints, price);
    }

    function _consentAll(uint256 unionId) internal {
        uint256[] memory children = unions.asset(unionId).children;
        for (uint256 i = 0; i < children.length; i++) {
            vm.prank(unions.ownerOf(children[i]));
            unions.consent(unionId, i);
        }
    }

    function _names2() internal pure returns (string[] memory names) {
        names = new string[](2);
        names[0] = "arg1";
        names[1] = "arg2";
    }

    function _free() internal pure returns (IDataUnions.Constraint memory c) {
        c.kind = IDataUnions.ConstraintKind.FREE;
    }

    function _fixed(uint256 value) internal pure returns (IDataUnions.Constraint memory c) {
        c.kind = IDataUnions.ConstraintKind.FIXED;
        c.values = new uint256[](1);
        c.values[0] = value;
    }

    function _range(uint256 lo, uint256 hi) internal pure returns (IDataUnions.Constraint memory c) {
        c.kind = IDataUnions.ConstraintKind.RANGE;
        c.values = new uint256[](2);
        c.values[0] = lo;
        c.values[1] = hi;
    }

    function _set(uint256[] memory values) internal pure returns (IDataUnions.Constraint memory c) {
        c.kind = IDataUnions.ConstraintKind.SET;
        c.values = values;
    }

    function _pair(IDataUnions.Constraint memory a, IDataUnions.Constraint memory b)
        internal
        pure
        returns (IDataUnions.Constraint[] memory cs)
    {
        cs = new IDataUnions.Constraint[](2);
        cs[0] = a;
        cs[1] = b;
    }

    function _quad(
        IDataUnions.Constraint memory a,
        IDataUnions.Constraint memory b,
        IDataUnions.Constraint memory c,
        IDataUnions.Constraint memory d
    ) internal pure returns (IDataUnions.Constraint[] memory cs) {
        cs = new IDataUnions.Constraint[](4);
        cs[0] = a;
        cs[1] = b;
        cs[2] = c;
        cs[3] = d;
    }

    function _ids(uint256 a, uint256 b) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](2);
        ids[0] = a;
        ids[1] = b;
    }

    function _values(uint256 a, uint256 b, uint256 c, uint256 d) internal pure returns (uint256[] memory v) {
        v = new uint256[](4);
        v[0] = a;
        v[1] = b;
        v[2] = c;
        v[3] = d;
    }
}
