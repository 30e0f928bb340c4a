// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IVerifier} from "../lazai/IVerifier.sol";
import {IReadsLedger} from "../IReadsLedger.sol";
import {IExecutionRecord} from "./IExecutionRecord.sol";

/// @title ITeeVerifier
/// @notice DataCoop's Verifier: LazAI's IVerifier, and what its TEE mode checks. A task id and a result
///         hash are 32 bytes each. A TEE proof is the worker's EIP-712 signature (`teeResultDigest`) over
///         the task id, the result hash and keccak256 of the attestation report, which is an
///         ABI-encoded `AttestationReport`.
interface ITeeVerifier is IVerifier {
    /// @notice What the worker's enclave attests for a task.
    /// @param taskId the task computed
    /// @param dataRoot keccak256(abi.encode(reads)): the rows the task read
    /// @param modelId the task's model id (zero: none)
    /// @param algorithmDigest the algorithm run, the task's
    /// @param paramsHash the parameters used, the task's
    /// @param resultHash the hash of the canonical output
    /// @param enclaveType the enclave's type, as the TeePool records the worker's
    /// @param measurement the enclave's measurement, as the TeePool records the worker's
    /// @param time when the enclave finished: not before the task was submitted, not in the future
    /// @param reads for each refiner read (ascending), the Merkle root of its (file, rows) leaves and its
    ///        rows, as a query commits them: what the contributors are paid by
    /// @param leavesUrl where every leaf of `reads` is published (JSON)
    /// @param outputUrl where the output, encrypted to the requester, is stored
    struct AttestationReport {
        bytes32 taskId;
        bytes32 dataRoot;
        bytes32 modelId;
        bytes32 algorithmDigest;
        bytes32 paramsHash;
        bytes32 resultHash;
        string enclaveType;
        bytes32 measurement;
        uint64 time;
        IReadsLedger.ReadsRoot[] reads;
        string leavesUrl;
        string outputUrl;
    }

    event TeeProofAccepted(bytes32 indexed taskId, address indexed worker, bytes32 resultHash, bytes32 dataRoot);

    /// @notice `field` is `length` bytes long; it must be 32.
    error VerifierMalformed(string field, uint256 length);
    error VerifierUnknownTask(bytes32 taskId);
    error VerifierWrongMode(bytes32 taskId, IExecutionRecord.VerifyMode mode);
    /// @notice The task is `status`, not waiting for a proof (a second proof, or a refunded or failed task).
    error VerifierNotSubmitted(bytes32 taskId, IExecutionRecord.Status status);
    error VerifierDeadlinePassed(bytes32 taskId, uint64 deadline);
    error VerifierWrongSigner(address signer, address worker);
    error VerifierWorkerNotActive(address worker);
    /// @notice The report's `field` does not match the task, the result, the worker's enclave or the clock.
    error VerifierReportMismatch(bytes32 taskId, string field);
    error VerifierZkProofsNotSupported();

    /// @notice The EIP-712 digest (domain "DataCoop Verifier", version 1, this chain and contract) a
    ///         worker signs: `TeeResult(bytes32 taskId,bytes32 resultHash,bytes32 reportHash)`.
    function teeResultDigest(bytes32 taskId, bytes32 resultHash, bytes32 reportHash) external view returns (bytes32);
}
