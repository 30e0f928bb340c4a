package org.datacoop.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.chain.devnet.Toolchain;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ProofRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.utils.Numeric;

class JobRequestDigestTest {
    private static final Address TEE_POOL = Address.of("0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0");
    private static final ProofRequest REQUEST = new ProofRequest(7, 3, 42L, Wallet.DEFAULT_SEED, null, "0a0b",
            Map.of("MODE", "strict", "A", "1"), Map.of("API_KEY", "c0ffee"));

    @TempDir
    Path dir;

    @Test
    void signsExactlyWhatAnIndependentEip712SignerSignsForTheSameTypedData() throws Exception {
        // foundry's cast reads the typed data as a wallet's eth_signTypedData_v4 does; arrays in name order
        String typedData = """
                {"types": {
                  "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                                   {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
                  "JobRequest": [{"name": "jobId", "type": "uint256"}, {"name": "fileId", "type": "uint256"},
                                 {"name": "nonce", "type": "uint256"}, {"name": "encryptionSeed", "type": "string"},
                                 {"name": "encryptionKey", "type": "string"}, {"name": "encryptedEncryptionKey", "type": "string"},
                                 {"name": "envVars", "type": "Variable[]"}, {"name": "secrets", "type": "Variable[]"}],
                  "Variable": [{"name": "name", "type": "string"}, {"name": "value", "type": "string"}]},
                 "primaryType": "JobRequest",
                 "domain": {"name": "DataCoop TeePool", "version": "1", "chainId": 31337,
                            "verifyingContract": "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0"},
                 "message": {"jobId": 7, "fileId": 3, "nonce": 42,
                             "encryptionSeed": "Please sign to retrieve your encryption key",
                             "encryptionKey": "", "encryptedEncryptionKey": "0a0b",
                             "envVars": [{"name": "A", "value": "1"}, {"name": "MODE", "value": "strict"}],
                             "secrets": [{"name": "API_KEY", "value": "c0ffee"}]}}
                """;
        Wallet wallet = Wallet.fromPrivateKey(Anvil.DEV_ACCOUNT_KEY);
        byte[] signature = wallet.signDigest(JobRequestDigest.of(31337, TEE_POOL, REQUEST));
        assertThat(Numeric.toHexString(signature)).isEqualTo(castSignTypedData(typedData));
        assertThat(JobRequestDigest.signer(31337, TEE_POOL, REQUEST, signature)).isEqualTo(wallet.address());
    }

    @Test
    void everyFieldAndTheDeploymentChangeTheDigest() {
        byte[] digest = JobRequestDigest.of(31337, TEE_POOL, REQUEST);
        List<byte[]> others = List.of(
                JobRequestDigest.of(1, TEE_POOL, REQUEST),
                JobRequestDigest.of(31337, Address.of("0x" + "11".repeat(20)), REQUEST),
                JobRequestDigest.of(31337, TEE_POOL, with(8, 3, 42L, REQUEST.envVars(), REQUEST.secrets(), "0a0b")),
                JobRequestDigest.of(31337, TEE_POOL, with(7, 4, 42L, REQUEST.envVars(), REQUEST.secrets(), "0a0b")),
                JobRequestDigest.of(31337, TEE_POOL, with(7, 3, 43L, REQUEST.envVars(), REQUEST.secrets(), "0a0b")),
                JobRequestDigest.of(31337, TEE_POOL, with(7, 3, 42L, Map.of("MODE", "lax", "A", "1"), REQUEST.secrets(), "0a0b")),
                JobRequestDigest.of(31337, TEE_POOL, with(7, 3, 42L, REQUEST.envVars(), Map.of("API_KEY", "c0ffef"), "0a0b")),
                JobRequestDigest.of(31337, TEE_POOL, with(7, 3, 42L, REQUEST.envVars(), REQUEST.secrets(), "0a0c")),
                // a variable moved from env vars to secrets is another request
                JobRequestDigest.of(31337, TEE_POOL, with(7, 3, 42L, Map.of("MODE", "strict"), Map.of("API_KEY", "c0ffee", "A", "1"),
                        "0a0b")));
        others.forEach(other -> assertThat(other).isNotEqualTo(digest));
    }

    @Test
    void aRequestWithoutANonceCannotBeSigned() {
        assertThatThrownBy(() -> JobRequestDigest.of(31337, TEE_POOL, with(7, 3, null, Map.of(), Map.of(), null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nonce");
    }

    @Test
    void theValidatorsReceiptIsWhatAnIndependentEip712SignerSignsAndRecoversToIt() throws Exception {
        String typedData = """
                {"types": {
                  "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                                   {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
                  "JobRequestReceipt": [{"name": "jobId", "type": "uint256"}, {"name": "fileId", "type": "uint256"},
                                        {"name": "nonce", "type": "uint256"}, {"name": "validator", "type": "address"}]},
                 "primaryType": "JobRequestReceipt",
                 "domain": {"name": "DataCoop TeePool", "version": "1", "chainId": 31337,
                            "verifyingContract": "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0"},
                 "message": {"jobId": 7, "fileId": 3, "nonce": 1700000000000,
                             "validator": "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"}}
                """;
        Wallet validator = Wallet.fromPrivateKey(Anvil.DEV_ACCOUNT_KEY);
        byte[] signature = validator.signDigest(JobRequestDigest.receipt(31337, TEE_POOL, 7, 3, 1_700_000_000_000L,
                validator.address()));
        assertThat(Numeric.toHexString(signature)).isEqualTo(castSignTypedData(typedData));
        assertThat(JobRequestDigest.receiptSigner(31337, TEE_POOL, 7, 3, 1_700_000_000_000L, validator.address(), signature))
                .isEqualTo(validator.address());
        // the same signature read for another nonce, job or deployment names someone else
        assertThat(JobRequestDigest.receiptSigner(31337, TEE_POOL, 7, 3, 1_700_000_000_001L, validator.address(), signature))
                .isNotEqualTo(validator.address());
        assertThat(JobRequestDigest.receiptSigner(31337, TEE_POOL, 8, 3, 1_700_000_000_000L, validator.address(), signature))
                .isNotEqualTo(validator.address());
        assertThat(JobRequestDigest.receiptSigner(1, TEE_POOL, 7, 3, 1_700_000_000_000L, validator.address(), signature))
                .isNotEqualTo(validator.address());
    }

    private static ProofRequest with(long jobId, long fileId, Long nonce, Map<String, String> env, Map<String, String> secrets,
            String wrappedKey) {
        return new ProofRequest(jobId, fileId, nonce, Wallet.DEFAULT_SEED, null, wrappedKey, env, secrets);
    }

    private String castSignTypedData(String typedData) throws Exception {
        Path file = Files.writeString(dir.resolve("typed.json"), typedData);
        Process cast = new ProcessBuilder(List.of(Toolchain.discover().tool("cast").toString(), "wallet", "sign",
                        "--private-key", Anvil.DEV_ACCOUNT_KEY, "--data", "--from-file", file.toString()))
                .redirectErrorStream(true)
                .start();
        String out = new String(cast.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(cast.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cast.exitValue()).as(out).isZero();
        return out;
    }
}
