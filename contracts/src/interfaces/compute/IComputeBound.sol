// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IComputeBound
/// @notice A compute contract that only the TaskCoordinator and the Verifier may write, named once by
///         whoever deployed it: they are deployed after it and need its address.
interface IComputeBound {
    event Bound(address coordinator, address verifier);

    error ComputeNotDeployer(address caller);
    error ComputeAlreadyBound();
    error ComputeZeroAddress();

    /// @notice Names the coordinator and the verifier; once, by the deployer.
    function bind(address coordinator, address verifier) external;

    /// @notice The TaskCoordinator (zero until bound).
    function coordinator() external view returns (address);

    /// @notice The Verifier (zero until bound).
    function verifier() external view returns (address);
}
