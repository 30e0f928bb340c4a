package org.datacoop.sdk.contribute;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Map;
import org.datacoop.chain.JobRequestDigest;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ProofRequest;
import org.junit.jupiter.api.Test;

class SignedRunProofTest {
    private static final long CHAIN_ID = 31337;
    private static final Address TEE_POOL = Address.of("0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0");
    private static final ProofRequest REQUEST = new ProofRequest(7, 3, 1_700_000_000_000L, Wallet.DEFAULT_SEED, null, null,
            Map.of("MODE", "strict"), Map.of());
    private static final Wallet VALIDATOR = Wallet.create();

    @Test
    void anAnswerSignedByTheJobsValidatorPasses() {
        assertThatCode(() -> SignedRunProof.requireSignedBy(VALIDATOR.address(), answer(VALIDATOR, REQUEST.nonce()), REQUEST,
                CHAIN_ID, TEE_POOL)).doesNotThrowAnyException();
    }

    @Test
    void anAnswerSignedByAnotherKeyOrForAnotherNonceIsRefusedNamingTheSigner() {
        Wallet impostor = Wallet.create();
        assertThatThrownBy(() -> SignedRunProof.requireSignedBy(VALIDATOR.address(), answer(impostor, REQUEST.nonce()), REQUEST,
                CHAIN_ID, TEE_POOL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("its signed_nonce is signed by " + impostor.address() + ", not by " + VALIDATOR.address());
        assertThatThrownBy(() -> SignedRunProof.requireSignedBy(VALIDATOR.address(), answer(VALIDATOR, REQUEST.nonce() - 1),
                REQUEST, CHAIN_ID, TEE_POOL))
                .hasMessageContaining("not by " + VALIDATOR.address());
    }

    @Test
    void anAnswerWithoutASignedNonceIsRefused() {
        assertThatThrownBy(() -> SignedRunProof.requireSignedBy(VALIDATOR.address(), "{\"success\": true}", REQUEST, CHAIN_ID,
                TEE_POOL))
                .hasMessage("the answer carries no signed_nonce (0x and 65 bytes of hex)");
        assertThatThrownBy(() -> SignedRunProof.requireSignedBy(VALIDATOR.address(), "<html>", REQUEST, CHAIN_ID, TEE_POOL))
                .hasMessage("the answer is not JSON");
    }

    /** The node's answer: {@code signer}'s signature of the receipt for {@code nonce}, in the name of the job's validator. */
    private static String answer(Wallet signer, long nonce) {
        byte[] signature = signer.signDigest(JobRequestDigest.receipt(CHAIN_ID, TEE_POOL, REQUEST.jobId(), REQUEST.fileId(), nonce,
                VALIDATOR.address()));
        return "{\"success\": true, \"nonce\": " + nonce + ", \"signed_nonce\": \"0x" + HexFormat.of().formatHex(signature) + "\"}";
    }
}
