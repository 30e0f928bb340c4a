// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ITeeVerifier} from "../interfaces/compute/ITeeVerifier.sol";
import {IOptimisticVerifier} from "../interfaces/compute/IOptimisticVerifier.sol";
import {IDisputeGame} from "../interfaces/compute/IDisputeGame.sol";
import {ITaskCoordinator} from "../interfaces/compute/ITaskCoordinator.sol";
import {IExecutionRecord} from "../interfaces/compute/IExecutionRecord.sol";
import {ISettlement} from "../interfaces/compute/ISettlement.sol";
import {IReadsLedger} from "../interfaces/IReadsLedger.sol";
import {ITeePool} from "../interfaces/ITeePool.sol";

/// @title Verifier
/// @notice LazAI's IVerifier. TEE mode: a task's result is accepted when its assigned worker, an
///         active validator, signed it (EIP-712, bound to this chain and contract) together with an
///         attestation report that names this task, its model, algorithm and parameters, the result,
///         the data read and the worker's own enclave. The task is then recorded verified and paid.
///         OP mode (IOptimisticVerifier): the same signed report proposes the result, which stands
///         only once its challenge window in the DisputeGame has passed unrejected. The ZK mode
///         refuses by name until it is built.
contract Verifier is IOptimisticVerifier, EIP712 {
    bytes32 public constant TEE_RESULT_TYPEHASH =
        keccak256("TeeResult(bytes32 taskId,bytes32 resultHash,bytes32 reportHash)");

    ITaskCoordinator public immutable coordinator;
    IExecutionRecord public immutable executionRecord;
    ISettlement public immutable settlement;
    ITeePool public immutable teePool;
    IDisputeGame public immutable disputeGame;

    /// @dev What an OP result is paid by once it stands: the report's reads, kept from its proposal.
    struct Payable {
        IReadsLedger.ReadsRoot[] reads;
        string leavesUrl;
    }

    mapping(bytes32 taskId => Payable) private _proposed;

    constructor(
        ITaskCoordinator coordinator_,
        IExecutionRecord record,
        ISettlement settlement_,
        ITeePool pool,
        IDisputeGame game
    ) EIP712("DataCoop Verifier", "1") {
        coordinator = coordinator_;
        executionRecord = record;
        settlement = settlement_;
        teePool = pool;
        disputeGame = game;
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
        (bytes32 id, bytes32 result, ITaskCoordinator.Task memory task, AttestationReport memory report) =
            _attested(IExecutionRecord.VerifyMode.TEE, taskId, resultHash, teeSignature, attestationReport);
        executionRecord.markVerified(id, result, report.dataRoot, report.outputUrl);
        emit TeeProofAccepted(id, task.worker, result, report.dataRoot);
        settlement.settle(id, report.reads, report.leavesUrl);
    }

    /// @inheritdoc IOptimisticVerifier
    /// @dev An entry point of its own rather than a branch of `submitTEEProof`: the OP result carries a
    ///      trace and a bond (so it is payable and the worker's own call), and a TEE proof keeps its ABI
    ///      and its meaning, paid at once.
    function submitOptimisticResult(
        bytes calldata taskId,
        bytes calldata resultHash,
        bytes calldata teeSignature,
        bytes calldata attestationReport,
        bytes32 traceRoot,
        uint64 traceLength
    ) external payable {
        (bytes32 id, bytes32 result, ITaskCoordinator.Task memory task, AttestationReport memory report) =
            _attested(IExecutionRecord.VerifyMode.OP, taskId, resultHash, teeSignature, attestationReport);
        if (msg.sender != task.worker) revert VerifierNotWorker(id, msg.sender);
        Payable storage kept = _proposed[id];
        for (uint256 r = 0; r < report.reads.length; r++) {
            kept.reads.push(report.reads[r]);
        }
        kept.leavesUrl = report.leavesUrl;
        executionRecord.markProposed(id, result, report.dataRoot, report.outputUrl);
        emit OptimisticResultProposed(id, task.worker, result, traceRoot, traceLength);
        disputeGame.propose{value: msg.value}(
            id, task.worker, _initialState(id, report.dataRoot, task), result, traceRoot, traceLength
        );
    }

    /// @notice Refused: the TEE+ZK mode is not built yet.
    function submitZKProof(bytes calldata, bytes calldata, bytes calldata) external pure {
        revert VerifierZkProofsNotSupported();
    }

    /// @notice Disputes OP task `taskId`'s proposed result on behalf of `challenger`, who must send it
    ///         (its bond is locked): `evidence` as IOptimisticVerifier documents it. The DisputeGame
    ///         checks the challenger, the DataDAO and the window, and runs the dispute.
    function submitFraudProof(bytes calldata taskId, bytes calldata evidence, address challenger) external {
        bytes32 id = _bytes32("taskId", taskId);
        if (msg.sender != challenger) revert VerifierNotChallenger(msg.sender, challenger);
        _requireProposed(id);
        if (evidence.length != 128) revert VerifierMalformedEvidence(evidence.length);
        (uint256 dlpId, bytes32 result, bytes32 traceRoot, uint64 traceLength) =
            abi.decode(evidence, (uint256, bytes32, bytes32, uint64));
        disputeGame.open(id, challenger, dlpId, result, traceRoot, traceLength);
    }

    /// @inheritdoc IOptimisticVerifier
    function finalize(bytes32 taskId) external {
        _requireProposed(taskId);
        Payable storage kept = _proposed[taskId];
        if (disputeGame.close(taskId)) {
            IExecutionRecord.Record memory proposed = executionRecord.records(taskId);
            executionRecord.markVerified(taskId, proposed.resultHash, proposed.dataRoot, proposed.outputUrl);
            emit OptimisticResultAccepted(taskId, proposed.resultHash);
            settlement.settle(taskId, kept.reads, kept.leavesUrl);
        } else {
            string memory reason = disputeGame.disputes(taskId).phase == IDisputeGame.DisputePhase.Undecided
                ? "dispute undecided"
                : "fraud proven";
            executionRecord.markFailed(taskId, reason);
            emit OptimisticResultRejected(taskId, reason);
        }
        delete _proposed[taskId];
    }

    /// @notice True only for a verified task; false for any other, known or not (an OP task's until its
    ///         window has passed and it was finalized). Reverts naming a task id that is not 32 bytes.
    function verifyResult(bytes calldata taskId) external view returns (bool) {
        return executionRecord.statusOf(_bytes32("taskId", taskId)) == IExecutionRecord.Status.Verified;
    }

    /// @inheritdoc IOptimisticVerifier
    function initialStateOf(bytes32 taskId, bytes32 dataRoot) external view returns (bytes32) {
        return _initialState(taskId, dataRoot, coordinator.tasks(taskId));
    }

    /// @inheritdoc ITeeVerifier
    function teeResultDigest(bytes32 taskId, bytes32 resultHash, bytes32 reportHash) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(TEE_RESULT_TYPEHASH, taskId, resultHash, reportHash)));
    }

    /// @dev The checks a TEE proof and an OP result share: the task awaits its result in `mode`, the
    ///      worker signed it and is active, and the report matches.
    function _attested(
        IExecutionRecord.VerifyMode mode,
        bytes calldata taskId,
        bytes calldata resultHash,
        bytes calldata teeSignature,
        bytes calldata attestationReport
    )
        private
        view
        returns (bytes32 id, bytes32 result, ITaskCoordinator.Task memory task, AttestationReport memory report)
    {
        id = _bytes32("taskId", taskId);
        result = _bytes32("resultHash", resultHash);
        task = _submittedTask(id, mode);
        address signer = ECDSA.recover(teeResultDigest(id, result, keccak256(attestationReport)), teeSignature);
        if (signer != task.worker) revert VerifierWrongSigner(signer, task.worker);
        if (!teePool.isActiveTee(task.worker)) revert VerifierWorkerNotActive(task.worker);
        report = abi.decode(attestationReport, (AttestationReport));
        _requireMatches(id, result, task, report);
    }

    function _submittedTask(bytes32 id, IExecutionRecord.VerifyMode mode)
        private
        view
        returns (ITaskCoordinator.Task memory task)
    {
        IExecutionRecord.Status status = executionRecord.statusOf(id);
        if (status == IExecutionRecord.Status.None) revert VerifierUnknownTask(id);
        if (status != IExecutionRecord.Status.Submitted) revert VerifierNotSubmitted(id, status);
        task = coordinator.tasks(id);
        if (task.mode != mode) revert VerifierWrongMode(id, task.mode);
        if (block.timestamp > task.deadline) revert VerifierDeadlinePassed(id, task.deadline);
    }

    function _requireProposed(bytes32 id) private view {
        IExecutionRecord.Status status = executionRecord.statusOf(id);
        if (status == IExecutionRecord.Status.None) revert VerifierUnknownTask(id);
        if (status != IExecutionRecord.Status.Proposed) revert VerifierNotProposed(id, status);
    }

    function _initialState(bytes32 id, bytes32 dataRoot, ITaskCoordinator.Task memory task)
        private
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(id, dataRoot, task.algorithmDigest, task.paramsHash, task.modelId));
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
