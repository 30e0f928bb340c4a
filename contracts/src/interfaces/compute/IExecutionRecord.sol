// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IComputeBound} from "./IComputeBound.sol";

/// @title IExecutionRecord
/// @notice The public record of every compute task (LazAI's execution record): its status, verify
///         mode, model, the root of the data it read, its result and where the output is. Written only
///         by the TaskCoordinator (created, failed, refunded) and the Verifier (verified).
interface IExecutionRecord is IComputeBound {
    /// @notice How a task's result is proved: TEE (an enclave's signed attestation) or OP (the same,
    ///         standing only after a challenge window); TEE_ZK, LazAI's third mode, is enumerated so its
    ///         issue plugs in without renumbering.
    enum VerifyMode {
        TEE,
        TEE_ZK,
        OP
    }

    /// @notice None: unknown task. Submitted: paid, waiting for its proof. Verified: proved and paid
    ///         out. Refunded: the requester got the escrow back. Failed: the worker gave up, or (OP) its
    ///         result was rejected, with a reason. Proposed (OP): its result waits out its challenge
    ///         window. Appended last so the other statuses keep their numbers.
    enum Status {
        None,
        Submitted,
        Verified,
        Refunded,
        Failed,
        Proposed
    }

    /// @notice A task's record. `dataRoot`, `resultHash` and `outputUrl` are set when it is verified
    ///         (or, OP, proposed);
    ///         `failureReason` when its worker failed it; `updatedAt` at each change.
    struct Record {
        Status status;
        VerifyMode mode;
        uint64 submittedAt;
        uint64 updatedAt;
        bytes32 modelId;
        bytes32 dataRoot;
        bytes32 resultHash;
        string outputUrl;
        string failureReason;
    }

    event RecordCreated(bytes32 indexed taskId, VerifyMode mode, bytes32 modelId);
    event RecordProposed(bytes32 indexed taskId, bytes32 resultHash, bytes32 dataRoot, string outputUrl);
    event RecordVerified(bytes32 indexed taskId, bytes32 resultHash, bytes32 dataRoot, string outputUrl);
    event RecordFailed(bytes32 indexed taskId, string reason);
    event RecordRefunded(bytes32 indexed taskId);

    error ExecutionRecordNotCoordinator(address caller);
    error ExecutionRecordNotVerifier(address caller);
    error ExecutionRecordAlreadyExists(bytes32 taskId);
    /// @notice The change needs another status than `status` (e.g. a second verification).
    error ExecutionRecordWrongStatus(bytes32 taskId, Status status);

    /// @notice Opens the record of a new task as Submitted; coordinator only.
    function create(bytes32 taskId, VerifyMode mode, bytes32 modelId) external;

    /// @notice Marks a Submitted OP task Proposed with its result, to wait out its window; verifier only.
    function markProposed(bytes32 taskId, bytes32 resultHash, bytes32 dataRoot, string calldata outputUrl) external;

    /// @notice Marks a Submitted (TEE) or Proposed (OP) task Verified with its result; verifier only.
    function markVerified(bytes32 taskId, bytes32 resultHash, bytes32 dataRoot, string calldata outputUrl) external;

    /// @notice Marks a task Failed with a reason: a Submitted one by the coordinator (its worker gave
    ///         up), a Proposed one by the verifier (its result was rejected).
    function markFailed(bytes32 taskId, string calldata reason) external;

    /// @notice Marks a Submitted or Failed task Refunded; coordinator only.
    function markRefunded(bytes32 taskId) external;

    /// @notice Task `taskId`'s record (status None when there is none).
    function records(bytes32 taskId) external view returns (Record memory);

    /// @notice Task `taskId`'s status (None when there is no such task).
    function statusOf(bytes32 taskId) external view returns (Status);
}
