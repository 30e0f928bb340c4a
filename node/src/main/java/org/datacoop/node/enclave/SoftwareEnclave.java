package org.datacoop.node.enclave;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.datacoop.chain.Wallet;
import org.datacoop.node.keys.NodeKeys;
import org.datacoop.protocol.Hex;
import org.datacoop.protocol.Validator;
import org.datacoop.protocol.crypto.CryptoException;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.datacoop.sandbox.SandboxArea;

/**
 * The default enclave: a process and a directory, honestly reported as {@code self-signed}. Keys
 * are sealed only as files readable by the node's user ({@link NodeKeys}); jobs run in scratch
 * directories of the sandbox area, wiped after each job and, after a crash, on the next start.
 */
public final class SoftwareEnclave implements Enclave {
    public static final String PROVER_TYPE = "self-signed";
    private static final List<KeyWrapping.Scheme> RSA_FILE_KEY_SCHEMES =
            List.of(KeyWrapping.Scheme.RSA_OAEP_SHA256, KeyWrapping.Scheme.RSA_OAEP_SHA1, KeyWrapping.Scheme.RSA_PKCS1);

    private final NodeKeys keys;
    private final SandboxArea area;
    private final KeyWrapping wrapping = new KeyWrapping();
    private final int rsaBytes;

    private SoftwareEnclave(NodeKeys keys, SandboxArea area) {
        this.keys = keys;
        this.area = area;
        this.rsaBytes = (((java.security.interfaces.RSAPublicKey) keys.rsaPublicKey()).getModulus().bitLength() + 7) / 8;
    }

    /**
     * The enclave whose keys live in {@code dir} (created there on first use), with its workspaces in
     * {@code area}'s scratch directory, where the sandbox reaches them; leftover scratch is wiped.
     */
    public static SoftwareEnclave open(Path dir, SandboxArea area) {
        NodeKeys keys = NodeKeys.loadOrCreate(dir);
        Workspace.deleteTree(area.root().resolve("scratch"));
        return new SoftwareEnclave(keys, area);
    }

    @Override
    public Wallet identity() {
        return keys.wallet();
    }

    @Override
    public Validator descriptor(String url) {
        return keys.descriptor(url);
    }

    @Override
    public Evidence evidence(byte[] reportData) {
        return new Evidence(PROVER_TYPE, NodeKeys.SOFTWARE_ENCLAVE, NodeKeys.NO_MEASUREMENT,
                Hex.prefixed(reportData), "");
    }

    @Override
    public byte[] secret(String purpose) {
        return keys.secret(purpose);
    }

    @Override
    public byte[] unwrap(byte[] wrapped) {
        String hex = HexFormat.of().formatHex(wrapped);
        if (wrapped.length != rsaBytes) {
            return keys.wallet().unwrapEcies(hex);
        }
        // Ours first; then LazAI's TypeScript client's (node-rsa's default, OAEP with SHA-1), before its
        // Python client's PKCS#1 v1.5, which has no integrity check and now and then unpads another
        // scheme's block. Every scheme fails with the same uniform error, so the last one is what is thrown.
        CryptoException failed = null;
        for (KeyWrapping.Scheme scheme : RSA_FILE_KEY_SCHEMES) {
            try {
                return wrapping.unwrapRsa(hex, keys.rsaPrivateKey(), scheme);
            } catch (CryptoException e) {
                failed = e;
            }
        }
        throw failed;
    }

    @Override
    public byte[] unwrapSecret(byte[] wrapped) {
        return wrapping.unwrapRsa(HexFormat.of().formatHex(wrapped), keys.rsaPrivateKey(), KeyWrapping.Scheme.RSA_OAEP_SHA256);
    }

    @Override
    public Workspace openWorkspace(long jobId) {
        return Workspace.create(area, jobId);
    }
}
