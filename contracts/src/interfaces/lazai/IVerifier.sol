// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IVerifier
/// @notice LazAI's verifier of computing results, exactly as LazAI documents it (it publishes no code):
///         a result is proved in TEE mode (an enclave's signature and attestation), TEE+ZK mode (a
///         zero-knowledge proof) or optimistic mode (a fraud proof in the challenge window).
interface IVerifier {
    /// @notice Proves task `taskId`'s result `resultHash` with the enclave's signature and its attestation report.
    function submitTEEProof(
        bytes calldata taskId,
        bytes calldata resultHash,
        bytes calldata teeSignature,
        bytes calldata attestationReport
    ) external;

    /// @notice Proves task `taskId`'s result with a zero-knowledge proof over `publicSignals`.
    function submitZKProof(bytes calldata taskId, bytes calldata zkProof, bytes calldata publicSignals) external;

    /// @notice Challenges task `taskId`'s optimistic result with `evidence`, on behalf of `challenger`.
    function submitFraudProof(bytes calldata taskId, bytes calldata evidence, address challenger) external;

    /// @notice Whether task `taskId`'s result is verified.
    function verifyResult(bytes calldata taskId) external view returns (bool);
}
