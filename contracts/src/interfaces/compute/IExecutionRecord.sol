// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IComputeBound} from "./IComputeBound.sol";

/// @title IExecutionRecord
/// @notice The public record of every compute task (LazAI's execution record): its status, verify
///         mode, model, the root of the data it read, its result and where the output is. Written only
///         by the TaskCoordinator (created, failed, refunded) and the Verifier (verified).
interface IExecutionRecord is IComputeBound {
    /// @notice How a task's result is proved. Only TEE is accepted for now; TEE_ZK and OP are LazAI's
    ///         other modes, enumerated so their issues plug in without renumbering.
    enum VerifyMode {
        TEE,
        TEE_ZK,
        OP
    }

    /// @notice None: unknown task. Submitted: paid, waiting for its proof. Verified: proved and paid
    ///         out. Refunded: the requester got the escrow back. Failed: the worker gave up, with a reason.
    enum Status {
        None,
        Submitted,
        Verified,
        Refunded,
        Failed
    }

    /// @notice A task's record. `dataRoot`, `resultHash` and `outputUrl` are set when it is verified;
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

    /// @notice Marks a Submitted task Verified with its result; verifier only.
    function markVerified(bytes32 taskId, bytes32 resultHash, bytes32 dataRoot, string calldata outputUrl) external;

    /// @notice Marks a Submitted task Failed with the worker's reason; coordinator only.
    function markFailed(bytes32 taskId, string calldata reason) external;

    /// @notice Marks a Submitted or Failed task Refunded; coordinator only.
    function markRefunded(bytes32 taskId) external;

    /// @notice Task `taskId`'s record (status None when there is none).
    function records(bytes32 taskId) external view returns (Record memory);

    /// @notice Task `taskId`'s status (None when there is no such task).
    function statusOf(bytes32 taskId) external view returns (Status);
}
