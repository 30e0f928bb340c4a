package org.datacoop.node.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.datacoop.chain.JobRequestDigest;
import org.datacoop.chain.Wallet;
import org.datacoop.node.job.ValidatorNode.RequestRefused;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ProofRequest;
import org.junit.jupiter.api.Test;

/** Attacks on who may give a job its env vars, secrets, nonce and key. */
class RequestAuthorityTest {
    private static final long CHAIN = 31337;
    private static final Address TEE_POOL = Address.of("0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0");
    private static final Wallet OWNER = Wallet.create();
    private static final Wallet STRANGER = Wallet.create();
    private static final ProofRequest REQUEST = request(7, 3, 5L, Map.of("MODE", "strict"), Map.of("API_KEY", "c0ffee"));

    @Test
    void theOwnersSignatureOverTheRequestIsAccepted() {
        assertThat(authorize(REQUEST, sign(OWNER, REQUEST))).isEqualTo(OWNER.address());
    }

    @Test
    void aStrangersSignatureIsRefusedNamingBothAddresses() {
        assertRefused(() -> authorize(REQUEST, sign(STRANGER, REQUEST)), 403,
                "the signature is by " + STRANGER.address() + ", not by the file's owner " + OWNER.address());
    }

    @Test
    void theOwnersSignatureForAnotherJobFileChainOrTeePoolDoesNotCarryOver() {
        assertRefused(() -> authorize(REQUEST, sign(OWNER, request(8, 3, 5L, REQUEST.envVars(), REQUEST.secrets()))), 403,
                "not by the file's owner");
        assertRefused(() -> authorize(REQUEST, sign(OWNER, request(7, 4, 5L, REQUEST.envVars(), REQUEST.secrets()))), 403,
                "not by the file's owner");
        byte[] otherChain = OWNER.signDigest(JobRequestDigest.of(1, TEE_POOL, REQUEST));
        assertRefused(() -> authorize(REQUEST, otherChain), 403, "not by the file's owner");
        byte[] otherPool = OWNER.signDigest(JobRequestDigest.of(CHAIN, Address.of("0x" + "12".repeat(20)), REQUEST));
        assertRefused(() -> authorize(REQUEST, otherPool), 403, "not by the file's owner");
    }

    @Test
    void aSignedRequestWithTamperedEnvVarsSecretsNonceOrKeyIsRefused() {
        byte[] signature = sign(OWNER, REQUEST);
        assertRefused(() -> authorize(request(7, 3, 5L, Map.of("MODE", "lax"), REQUEST.secrets()), signature), 403,
                "not by the file's owner");
        assertRefused(() -> authorize(request(7, 3, 5L, Map.of("MODE", "strict", "EXTRA", "1"), REQUEST.secrets()), signature),
                403, "not by the file's owner");
        assertRefused(() -> authorize(request(7, 3, 5L, REQUEST.envVars(), Map.of("API_KEY", "c0ffef")), signature), 403,
                "not by the file's owner");
        assertRefused(() -> authorize(request(7, 3, 6L, REQUEST.envVars(), REQUEST.secrets()), signature), 403,
                "not by the file's owner");
        ProofRequest otherKey = new ProofRequest(7, 3, 5L, null, "attacker's password", null, REQUEST.envVars(), REQUEST.secrets());
        assertRefused(() -> authorize(otherKey, signature), 403, "not by the file's owner");
    }

    @Test
    void aSignedRequestNeedsANonce() {
        assertRefused(() -> authorize(request(7, 3, null, Map.of(), Map.of()), new byte[65]), 400, "needs a nonce");
    }

    @Test
    void aSignatureThatRecoversToNoKeyIsRefused() {
        byte[] garbage = new byte[65];
        garbage[64] = 27;
        assertRefused(() -> authorize(REQUEST, garbage), 403, "recovers to no key");
    }

    @Test
    void anUnsignedRequestSettingEnvVarsSecretsOrANonceIsRefusedNamingThem() {
        assertRefused(() -> authorize(request(7, 3, null, Map.of("MODE", "x"), Map.of()), null), 403,
                "env_vars of job 7 are taken only from a request signed by the file's owner " + OWNER.address());
        assertRefused(() -> authorize(request(7, 3, null, Map.of(), Map.of("K", "00")), null), 403, "secrets of job 7");
        assertRefused(() -> authorize(request(7, 3, 9L, Map.of(), Map.of()), null), 403, "nonce of job 7");
        assertRefused(() -> authorize(REQUEST, null), 403, "env_vars, secrets, nonce of job 7");
    }

    @Test
    void anUnsignedKeyAloneIsStillTakenAsAHint() {
        ProofRequest keyOnly = new ProofRequest(7, 3, null, Wallet.DEFAULT_SEED, null, "0a0b", Map.of(), Map.of());
        assertThat(authorize(keyOnly, null)).isNull();
    }

    @Test
    void anUnsignedRequestReplacesNeitherAKeyNotYetTriedNorASignedRequest() {
        JobRequest hint = recorded(null, null);
        RequestAuthority.requireMayReplace(7, JobRequest.FROM_CHAIN, hint);
        // a stranger cannot wipe or swap a caller's key before it was tried; once dropped, another may come
        assertRefused(() -> RequestAuthority.requireMayReplace(7, hint, recorded(null, null)), 409,
                "job 7 holds a caller's key not yet tried; an unsigned request cannot replace it (the file's owner can, with a signed one)");
        RequestAuthority.requireMayReplace(7, hint.withoutKey(), recorded(null, null));
        assertRefused(() -> RequestAuthority.requireMayReplace(7, recorded(OWNER.address(), 5L), hint), 403,
                "job 7 holds a request signed by the file's owner " + OWNER.address() + " (nonce 5); an unsigned request cannot replace it");
    }

    @Test
    void theOwnersLaterRequestWinsOnlyWithAHigherNonce() {
        JobRequest first = recorded(OWNER.address(), 5L);
        RequestAuthority.requireMayReplace(7, recorded(null, null), first);
        RequestAuthority.requireMayReplace(7, first, recorded(OWNER.address(), 6L));
        assertRefused(() -> RequestAuthority.requireMayReplace(7, first, recorded(OWNER.address(), 5L)), 403,
                "only one with a higher nonce replaces it, and this one has nonce 5");
        assertRefused(() -> RequestAuthority.requireMayReplace(7, first, recorded(OWNER.address(), 4L)), 403,
                "holds the owner's request with nonce 5");
        assertRefused(() -> RequestAuthority.requireMayReplace(7, first, recorded(STRANGER.address(), 9L)), 403,
                "one signed by " + STRANGER.address() + " cannot replace it");
    }

    private static Address authorize(ProofRequest request, byte[] signature) {
        return RequestAuthority.authorize(request, signature, CHAIN, TEE_POOL, OWNER.address());
    }

    private static byte[] sign(Wallet wallet, ProofRequest request) {
        return wallet.signDigest(JobRequestDigest.of(CHAIN, TEE_POOL, request));
    }

    private static ProofRequest request(long jobId, long fileId, Long nonce, Map<String, String> env, Map<String, String> secrets) {
        return new ProofRequest(jobId, fileId, nonce, Wallet.DEFAULT_SEED, null, "0a0b", env, secrets);
    }

    private static JobRequest recorded(Address signer, Long nonce) {
        return new JobRequest("RunProof", nonce, null, Map.of(), Map.of(), "0a0b", signer == null ? null : signer.value());
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status, String message) {
        assertThatThrownBy(call)
                .isInstanceOf(RequestRefused.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((RequestRefused) e).status()).isEqualTo(status));
    }
}
