// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IExecutionRecord} from "../interfaces/compute/IExecutionRecord.sol";
import {ComputeBound} from "./ComputeBound.sol";

/// @title ExecutionRecord
/// @notice The public record of compute tasks (LazAI's). Only the coordinator and the verifier it is
///         bound to write it, and each change moves a task along Submitted [→ Proposed] → Verified |
///         Failed → Refunded, never back.
contract ExecutionRecord is IExecutionRecord, ComputeBound {
    mapping(bytes32 taskId => Record) private _records;

    /// @inheritdoc IExecutionRecord
    function create(bytes32 taskId, VerifyMode mode, bytes32 modelId) external {
        _requireCoordinator();
        Record storage record = _records[taskId];
        if (record.status != Status.None) revert ExecutionRecordAlreadyExists(taskId);
        record.status = Status.Submitted;
        record.mode = mode;
        record.modelId = modelId;
        record.submittedAt = uint64(block.timestamp);
        record.updatedAt = uint64(block.timestamp);
        emit RecordCreated(taskId, mode, modelId);
    }

    /// @inheritdoc IExecutionRecord
    function markProposed(bytes32 taskId, bytes32 resultHash, bytes32 dataRoot, string calldata outputUrl) external {
        _requireVerifier();
        _setResult(_moving(taskId, Status.Submitted, Status.Proposed), resultHash, dataRoot, outputUrl);
        emit RecordProposed(taskId, resultHash, dataRoot, outputUrl);
    }

    /// @inheritdoc IExecutionRecord
    function markVerified(bytes32 taskId, bytes32 resultHash, bytes32 dataRoot, string calldata outputUrl) external {
        _requireVerifier();
        Status from = _records[taskId].status == Status.Proposed ? Status.Proposed : Status.Submitted;
        _setResult(_moving(taskId, from, Status.Verified), resultHash, dataRoot, outputUrl);
        emit RecordVerified(taskId, resultHash, dataRoot, outputUrl);
    }

    /// @inheritdoc IExecutionRecord
    function markFailed(bytes32 taskId, string calldata reason) external {
        if (msg.sender == verifier) {
            _moving(taskId, Status.Proposed, Status.Failed).failureReason = reason;
        } else {
            _requireCoordinator();
            _moving(taskId, Status.Submitted, Status.Failed).failureReason = reason;
        }
        emit RecordFailed(taskId, reason);
    }

    /// @inheritdoc IExecutionRecord
    function markRefunded(bytes32 taskId) external {
        _requireCoordinator();
        Status status = _records[taskId].status;
        _moving(taskId, status == Status.Failed ? Status.Failed : Status.Submitted, Status.Refunded);
        emit RecordRefunded(taskId);
    }

    /// @inheritdoc IExecutionRecord
    function records(bytes32 taskId) external view returns (Record memory) {
        return _records[taskId];
    }

    /// @inheritdoc IExecutionRecord
    function statusOf(bytes32 taskId) external view returns (Status) {
        return _records[taskId].status;
    }

    function _moving(bytes32 taskId, Status from, Status to) private returns (Record storage record) {
        record = _records[taskId];
        if (record.status != from) revert ExecutionRecordWrongStatus(taskId, record.status);
        record.status = to;
        record.updatedAt = uint64(block.timestamp);
    }

    function _setResult(Record storage record, bytes32 resultHash, bytes32 dataRoot, string calldata outputUrl)
        private
    {
        record.resultHash = resultHash;
        record.dataRoot = dataRoot;
        record.outputUrl = outputUrl;
    }

    function _requireVerifier() private view {
        if (msg.sender != verifier) revert ExecutionRecordNotVerifier(msg.sender);
    }

    function _requireCoordinator() private view {
        if (msg.sender != coordinator) revert ExecutionRecordNotCoordinator(msg.sender);
    }
}
