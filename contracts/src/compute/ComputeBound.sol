// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IComputeBound} from "../interfaces/compute/IComputeBound.sol";

/// @title ComputeBound
/// @notice The one-time binding of a compute contract to its coordinator and verifier.
abstract contract ComputeBound is IComputeBound {
    address private immutable _deployer;
    address public coordinator;
    address public verifier;

    constructor() {
        _deployer = msg.sender;
    }

    /// @inheritdoc IComputeBound
    function bind(address coordinator_, address verifier_) external {
        if (msg.sender != _deployer) revert ComputeNotDeployer(msg.sender);
        if (coordinator != address(0)) revert ComputeAlreadyBound();
        if (coordinator_ == address(0) || verifier_ == address(0)) revert ComputeZeroAddress();
        coordinator = coordinator_;
        verifier = verifier_;
        emit Bound(coordinator_, verifier_);
    }
}
