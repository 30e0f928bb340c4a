// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ITeeVerifier} from "./ITeeVerifier.sol";
import {IExecutionRecord} from "./IExecutionRecord.sol";

/// @title IOptimisticVerifier
/// @notice The Verifier's optimistic (OP) mode. An OP task's worker submits its result with the same
///         EIP-712 signature and `AttestationReport` as TEE mode, plus its trace root and trace length,
///         and posts the DisputeGame's worker bond; the task is recorded Proposed and a challenge window
///         opens. Registered challengers dispute it with `submitFraudProof`; the parties then play the
///         DisputeGame. Once the window has passed with no dispute running, or once the result was
///         rejected, anyone calls `finalize`: an accepted result is recorded Verified and paid exactly as
///         a TEE proof is; a rejected one is recorded Failed, and its requester can be refunded.
///
///         Fraud-proof `evidence` is `abi.encode(uint256 dlpId, bytes32 resultHash, bytes32 traceRoot,
///         uint64 traceLength)`: the DataDAO the challenger is registered with (one the task reads), the
///         result its own enclave computed, and the root and length of its trace. The game runs over the
///         worker's trace length; the challenger's root and length are kept for the record.
///
///         A trace's state 0 is `initialStateOf(taskId)`, which both parties derive from the task's
///         inputs, and its last state is the result hash.
interface IOptimisticVerifier is ITeeVerifier {
    event OptimisticResultProposed(
        bytes32 indexed taskId, address indexed worker, bytes32 resultHash, bytes32 traceRoot, uint64 traceLength
    );
    event OptimisticResultAccepted(bytes32 indexed taskId, bytes32 resultHash);
    event OptimisticResultRejected(bytes32 indexed taskId, string reason);

    /// @notice The task is `status`, not waiting out a challenge window.
    error VerifierNotProposed(bytes32 taskId, IExecutionRecord.Status status);
    error VerifierNotWorker(bytes32 taskId, address caller);
    /// @notice A fraud proof is sent by the challenger whose bond it locks.
    error VerifierNotChallenger(address caller, address challenger);
    error VerifierMalformedEvidence(uint256 length);

    /// @notice Proposes OP task `taskId`'s result `resultHash` (32 bytes each), signed and attested as
    ///         `submitTEEProof` requires, with the worker's trace root and length (at least 1); the
    ///         worker sends it, with exactly the DisputeGame's worker bond as `msg.value`.
    function submitOptimisticResult(
        bytes calldata taskId,
        bytes calldata resultHash,
        bytes calldata teeSignature,
        bytes calldata attestationReport,
        bytes32 traceRoot,
        uint64 traceLength
    ) external payable;

    /// @notice Ends task `taskId`'s window: Verified and paid when its result stands, Failed (refundable)
    ///         when it was rejected. Anyone may call.
    function finalize(bytes32 taskId) external;

    /// @notice State 0 of task `taskId`'s trace: keccak256(abi.encode(taskId, dataRoot, algorithmDigest,
    ///         paramsHash, modelId)) over the report's data root and the task's algorithm, parameters and model.
    function initialStateOf(bytes32 taskId, bytes32 dataRoot) external view returns (bytes32);
}
