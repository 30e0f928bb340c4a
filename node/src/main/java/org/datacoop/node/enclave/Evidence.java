package org.datacoop.node.enclave;

/**
 * What an enclave says about itself in an attestation.
 *
 * @param proverType the attestation's {@code prover.type}: {@code self-signed} for the software
 *     enclave (Vana's hardware provers say {@code satya})
 * @param enclaveType as registered in the TeePool: {@code software}, {@code sgx}, {@code sev-snp} ...
 * @param measurement the code measurement, {@code 0x}-hex (zero for the software enclave: nothing measured it)
 * @param reportData {@code 0x}-hex of the data the evidence is bound to
 * @param quote the hardware quote, base64; empty for the software enclave
 */
public record Evidence(String proverType, String enclaveType, String measurement, String reportData, String quote) {}
