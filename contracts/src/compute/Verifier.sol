// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ITeeVerifier} from "../interfaces/compute/ITeeVerifier.sol";
import {ITaskCoordinator} from "../interfaces/compute/ITaskCoordinator.sol";
import {IExecutionRecord} from "../interfaces/compute/IExecutionRecord.sol";
import {ISettlement} from "../interfaces/compute/ISettlement.sol";
import {ITeePool} from "../interfaces/ITeePool.sol";

/// @title Verifier
/// @notice LazAI's IVerifier, TEE mode: a task's result is accepted when its assigned worker, an
///         active validator, signed it (EIP-712, bound to this chain and contract) together with an
///         attestation report that names this task, its model, algorithm and parameters, the result,
///         the data read and the worker's own enclave. The task is then recorded verified and paid.
///         The ZK and optimistic modes refuse by name until they are built.
contract Verifier is ITeeVerifier, EIP712 {
    bytes32 public constant TEE_RESULT_TYPEHASH =
        keccak256("TeeResult(bytes32 taskId,bytes32 resultHash,bytes32 reportHash)");

    ITaskCoordinator public immutable coordinator;
    IExecutionRecord public immutable executionRecord;
    ISettlement public immutable settlement;
    ITeePool public immutable teePool;

    constructor(ITaskCoordinator coordinator_, IExecutionRecord record, ISettlement settlement_, ITeePool pool)
        EIP712("DataCoop Verifier", "1")
    {
        coordinator = coordinator_;
        executionRecord = record;
        settlement = settlement_;
        teePool = pool;
    }

    /// @notice Accepts task `taskId`'s result `resultHash` (32 bytes each) when `teeSignature` is the
    ///         task's worker's signature of `teeResultDigest` over them and keccak256 of
    ///         `attestationReport`, the worker is an active validator, the task awaits its proof and its
    ///         deadline has not passed, and the report (an ABI-encoded `AttestationReport`) matches the
    ///         task, the result, the worker's enclave as the TeePool records it, and the clock. Anyone
    ///         may relay the proof. Records the task verified and pays it (Settlement).
    function submitTEEProof(
        bytes calldata taskId,
        bytes calldata resultHash,
        bytes calldata teeSignature,
        bytes calldata attestationReport
    ) external {
        bytes32 id = _bytes32("taskId", taskId);
        bytes32 result = _bytes32("resultHash", resultHash);
        ITaskCoordinator.Task memory task = _submittedTask(id);
        address signer = ECDSA.recover(teeResultDigest(id, result, keccak256(attestationReport)), teeSignature);
        if (signer != task.worker) revert VerifierWrongSigner(signer, task.worker);
        if (!teePool.isActiveTee(task.worker)) revert VerifierWorkerNotActive(task.worker);
        AttestationReport memory report = abi.decode(attestationReport, (AttestationReport));
        _requireMatches(id, result, task, report);

        executionRecord.markVerified(id, result, report.dataRoot, report.outputUrl);
        emit TeeProofAccepted(id, task.worker, result, report.dataRoot);
        settlement.settle(id, report.reads, report.leavesUrl);
    }

    /// @notice Refused: the TEE+ZK mode is not built yet.
    function submitZKProof(bytes calldata, bytes calldata, bytes calldata) external pure {
        revert VerifierZkProofsNotSupported();
    }

    /// @notice Refused: the optimistic mode is not built yet.
    function submitFraudProof(bytes calldata, bytes calldata, address) external pure {
        revert VerifierFraudProofsNotSupported();
    }

    /// @notice True only for a verified task; false for any other, known or not. Reverts naming a task
    ///         id that is not 32 bytes.
    function verifyResult(bytes calldata taskId) external view returns (bool) {
        return executionRecord.statusOf(_bytes32("taskId", taskId)) == IExecutionRecord.Status.Verified;
    }

    /// @inheritdoc ITeeVerifier
    function teeResultDigest(bytes32 taskId, bytes32 resultHash, bytes32 reportHash) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(TEE_RESULT_TYPEHASH, taskId, resultHash, reportHash)));
    }

    function _submittedTask(bytes32 id) private view returns (ITaskCoordinator.Task memory task) {
        IExecutionRecord.Status status = executionRecord.statusOf(id);
        if (status == IExecutionRecord.Status.None) revert VerifierUnknownTask(id);
        if (status != IExecutionRecord.Status.Submitted) revert VerifierNotSubmitted(id, status);
        task = coordinator.tasks(id);
        if (task.mode != IExecutionRecord.VerifyMode.TEE) revert VerifierWrongMode(id, task.mode);
        if (block.timestamp > task.deadline) revert VerifierDeadlinePassed(id, task.deadline);
    }

    /// @dev The report binds the proof to this task's inputs, this result and this worker's enclave.
    function _requireMatches(
        bytes32 id,
        bytes32 result,
        ITaskCoordinator.Task memory task,
        AttestationReport memory report
    ) private view {
        if (report.taskId != id) revert VerifierReportMismatch(id, "taskId");
        if (report.resultHash != result) revert VerifierReportMismatch(id, "resultHash");
        if (report.dataRoot != keccak256(abi.encode(report.reads))) revert VerifierReportMismatch(id, "dataRoot");
        if (report.modelId != task.modelId) revert VerifierReportMismatch(id, "modelId");
        if (report.algorithmDigest != task.algorithmDigest) revert VerifierReportMismatch(id, "algorithmDigest");
        if (report.paramsHash != task.paramsHash) revert VerifierReportMismatch(id, "paramsHash");
        ITeePool.TeeInfo memory tee = teePool.teeRecords(task.worker);
        if (keccak256(bytes(report.enclaveType)) != keccak256(bytes(tee.enclaveType))) {
            revert VerifierReportMismatch(id, "enclaveType");
        }
        if (report.measurement != tee.measurement) revert VerifierReportMismatch(id, "measurement");
        if (report.time < task.submittedAt || report.time > block.timestamp) revert VerifierReportMismatch(id, "time");
    }

    function _bytes32(string memory field, bytes calldata value) private pure returns (bytes32) {
        if (value.length != 32) revert VerifierMalformed(field, value.length);
        return bytes32(value);
    }
}
