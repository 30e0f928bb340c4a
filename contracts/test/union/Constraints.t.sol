// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {UnionTest} from "./UnionTest.sol";
import {Constraints} from "../../src/union/Constraints.sol";
import {IDataUnions} from "../../src/interfaces/union/IDataUnions.sol";

/// @notice Fulfilment against its meaning, on random parameter sets: one constraint fulfils another exactly
///         when every value it allows the other allows too; unions follow DataToken's `_check_fulfills`
///         (a fixed value must match, free accepts anything, nothing free stands for a fixed value), and an
///         algorithm asset leaves nothing free.
contract ConstraintsTest is UnionTest {
    /// Values are drawn below 16; the domain reaches past them so that FREE differs from every range and set.
    uint256 internal constant DOMAIN = 21;

    function testFuzz_fulfils_exactlyWhenEveryAllowedValueIsAllowed(
        uint8 offeredKind,
        uint256 a,
        uint256 b,
        uint16 aMask,
        uint8 requiredKind,
        uint256 c,
        uint256 d,
        uint16 cMask
    ) public pure {
        IDataUnions.Constraint memory offered = _random(offeredKind, a, b, aMask);
        IDataUnions.Constraint memory required = _random(requiredKind, c, d, cMask);
        vm.assertTrue(Constraints.isWellFormed(offered) && Constraints.isWellFormed(required), "well formed");
        bool subset = true;
        for (uint256 v = 0; v < DOMAIN; v++) {
            if (Constraints.allows(offered, v) && !Constraints.allows(required, v)) subset = false;
        }
        vm.assertEq(Constraints.fulfils(offered, required), subset, "fulfils iff a subset");
    }

    function testFuzz_fulfils_aWideRangeNeverFitsASet(uint256 lo, uint16 mask) public pure {
        lo = _bound(lo, 0, type(uint256).max - 40);
        IDataUnions.Constraint memory set = _random(3, lo, 0, mask);
        vm.assertFalse(Constraints.fulfils(_range(lo, lo + 40), set), "41 values cannot fit in at most 16");
    }

    /// @dev Two leaves of two owners, terms fixed or free per parameter (values 0 to 3); a union over them with
    ///      random fixed or free terms is created exactly when DataToken's check passes, and refused naming
    ///      the first unfulfilled parameter otherwise; an algorithm asset over it must fix everything.
    function testFuzz_createUnion_followsCheckFulfills(uint8 leafMask, uint256 leafValues, uint8 unionMask, uint256 unionValues)
        public
    {
        uint256 dt1 = _leaf(alice);
        uint256 dt2 = _leaf(bob);
        IDataUnions.Constraint[] memory leafTerms = _vector(leafMask, leafValues);
        IDataUnions.Constraint[] memory unionTerms = _vector(unionMask, unionValues);
        _setTerms(dt1, _pair(leafTerms[0], leafTerms[1]), 0);
        _setTerms(dt2, _pair(leafTerms[2], leafTerms[3]), 0);

        (bool ok, uint256 failing) = _checkFulfills(unionTerms, leafTerms);
        if (!ok) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IDataUnions.DataUnionsTermsNotFulfilled.selector, failing < 2 ? dt1 : dt2, 0, failing % 2
                )
            );
        }
        vm.prank(carol);
        uint256 union = unions.createUnion(addTemplate, _ids(dt1, dt2), unionTerms, 0);
        if (!ok) return;

        // The algorithm asset fixes every value the union left free, and keeps every fixed one.
        IDataUnions.Constraint[] memory filled = new IDataUnions.Constraint[](4);
        uint256 firstFree = 4;
        for (uint256 i = 0; i < 4; i++) {
            bool free = unionTerms[i].kind == IDataUnions.ConstraintKind.FREE;
            if (free && firstFree == 4) firstFree = i;
            filled[i] = free ? _fixed(unionValues >> (8 * i + 128) & 3) : unionTerms[i];
        }
        vm.prank(carol);
        unions.createAlgorithm(addTemplate, union, filled, 0);
        if (firstFree == 4) return;
        filled[firstFree] = _free();
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNotFixed.selector, firstFree));
        vm.prank(carol);
        unions.createAlgorithm(addTemplate, union, filled, 0);
    }

    /// @dev DataToken's `_check_fulfills` per parameter: the key sets are equal by construction (one constraint
    ///      per template parameter); a free child accepts anything; a fixed child needs the same fixed value.
    function _checkFulfills(IDataUnions.Constraint[] memory parent, IDataUnions.Constraint[] memory child)
        internal
        pure
        returns (bool ok, uint256 failing)
    {
        for (uint256 i = 0; i < child.length; i++) {
            if (child[i].kind == IDataUnions.ConstraintKind.FREE) continue;
            if (parent[i].kind != IDataUnions.ConstraintKind.FIXED || parent[i].values[0] != child[i].values[0]) {
                return (false, i);
            }
        }
        return (true, 0);
    }

    /// @dev Four constraints: bit i of `mask` fixes the i-th at byte i of `values` (mod 4), else it is free.
    function _vector(uint8 mask, uint256 values) internal pure returns (IDataUnions.Constraint[] memory cs) {
        cs = new IDataUnions.Constraint[](4);
        for (uint256 i = 0; i < 4; i++) {
            cs[i] = (mask >> i) & 1 == 1 ? _fixed((values >> (8 * i)) & 3) : _free();
        }
    }

    /// @dev A well-formed constraint of any kind over values below 16.
    function _random(uint8 kind, uint256 a, uint256 b, uint16 mask) internal pure returns (IDataUnions.Constraint memory) {
        kind = kind % 4;
        if (kind == 0) return _free();
        if (kind == 1) return _fixed(a % 16);
        if (kind == 2) {
            (uint256 lo, uint256 hi) = a % 16 <= b % 16 ? (a % 16, b % 16) : (b % 16, a % 16);
            return _range(lo, hi);
        }
        if (mask == 0) mask = uint16(1 << (a % 16));
        uint256 count;
        for (uint256 v = 0; v < 16; v++) {
            if ((mask >> v) & 1 == 1) count++;
        }
        uint256[] memory values = new uint256[](count);
        uint256 n;
        for (uint256 v = 0; v < 16; v++) {
            if ((mask >> v) & 1 == 1) values[n++] = v;
        }
        return _set(values);
    }
}
