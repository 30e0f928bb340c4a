// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IDataUnions} from "../interfaces/union/IDataUnions.sol";

/// @title Constraints
/// @notice What a parameter constraint allows, and when one fulfils another: `offered` fulfils `required`
///         when every value `offered` allows, `required` allows too. This is DataToken's `_check_fulfills`
///         (a fixed value must match exactly, free accepts anything, a free value cannot stand for a fixed
///         one) extended to ranges and sets.
library Constraints {
    /// @notice The most values a SET holds: fulfilment compares sets value by value.
    uint256 internal constant MAX_SET_SIZE = 32;

    /// @notice Whether `c` is well formed: FREE no values, FIXED one, RANGE lo <= hi, SET 1..MAX_SET_SIZE
    ///         values strictly ascending.
    function isWellFormed(IDataUnions.Constraint memory c) internal pure returns (bool) {
        uint256 n = c.values.length;
        if (c.kind == IDataUnions.ConstraintKind.FREE) return n == 0;
        if (c.kind == IDataUnions.ConstraintKind.FIXED) return n == 1;
        if (c.kind == IDataUnions.ConstraintKind.RANGE) return n == 2 && c.values[0] <= c.values[1];
        if (n == 0 || n > MAX_SET_SIZE) return false;
        for (uint256 i = 1; i < n; i++) {
            if (c.values[i - 1] >= c.values[i]) return false;
        }
        return true;
    }

    /// @notice Whether `c` allows `value`.
    function allows(IDataUnions.Constraint memory c, uint256 value) internal pure returns (bool) {
        if (c.kind == IDataUnions.ConstraintKind.FREE) return true;
        if (c.kind == IDataUnions.ConstraintKind.FIXED) return value == c.values[0];
        if (c.kind == IDataUnions.ConstraintKind.RANGE) return c.values[0] <= value && value <= c.values[1];
        for (uint256 i = 0; i < c.values.length; i++) {
            if (c.values[i] == value) return true;
        }
        return false;
    }

    /// @notice Whether every value `offered` allows is allowed by `required` (both well formed).
    function fulfils(IDataUnions.Constraint memory offered, IDataUnions.Constraint memory required)
        internal
        pure
        returns (bool)
    {
        if (required.kind == IDataUnions.ConstraintKind.FREE) return true;
        if (offered.kind == IDataUnions.ConstraintKind.FREE) return false;
        if (offered.kind == IDataUnions.ConstraintKind.RANGE) {
            uint256 lo = offered.values[0];
            uint256 hi = offered.values[1];
            if (required.kind == IDataUnions.ConstraintKind.RANGE) {
                return required.values[0] <= lo && hi <= required.values[1];
            }
            // A fixed value or a set holds at most MAX_SET_SIZE values: a wider range cannot fit in it.
            if (hi - lo >= required.values.length) return false;
            for (uint256 v = lo; v <= hi; v++) {
                if (!allows(required, v)) return false;
                if (v == type(uint256).max) break;
            }
            return true;
        }
        // FIXED and SET: each listed value must be allowed.
        for (uint256 i = 0; i < offered.values.length; i++) {
            if (!allows(required, offered.values[i])) return false;
        }
        return true;
    }
}
