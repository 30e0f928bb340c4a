package org.datacoop.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Optional;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.web3j.crypto.exception.CipherException;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.WalletUtils;
import org.web3j.utils.Numeric;

/**
 * A contributor's wallet: one secp256k1 key. At rest it exists only as a Web3 Secret Storage
 * keystore (the JSON geth, MetaMask and the peers' SDKs read), scrypt-protected, mode 600.
 */
public final class Wallet {
    /** The seed Vana's and LazAI's clients sign to derive a file password (PROTOCOL.md §1). */
    public static final String DEFAULT_SEED = "Please sign to retrieve your encryption key";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Credentials credentials;

    private Wallet(Credentials credentials) {
        this.credentials = credentials;
    }

    /** A new random key. */
    public static Wallet create() {
        try {
            return new Wallet(Credentials.create(Keys.createEcKeyPair()));
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException | NoSuchProviderException e) {
            throw new IllegalStateException("no secp256k1 key generator", e);
        }
    }

    /** The wallet of a hex private key, {@code 0x}-prefixed or not. */
    public static Wallet fromPrivateKey(String privateKeyHex) {
        return new Wallet(ChainConnection.credentials(privateKeyHex));
    }

    /**
     * Opens a keystore file.
     *
     * @throws ChainException naming the file when it is missing, not a keystore, or the password is wrong
     */
    public static Wallet load(Path keystore, char[] password) {
        if (!Files.isRegularFile(keystore)) {
            throw ChainException.notFound("no wallet at " + keystore + " (create one with `coop wallet create`)");
        }
        try {
            var json = JSON.readTree(keystore.toFile());
            if (json == null || !json.has("version") || !(json.has("crypto") || json.has("Crypto"))) {
                throw new ChainException(keystore + " is not a valid keystore: no version or crypto");
            }
            return new Wallet(WalletUtils.loadCredentials(new String(password), keystore.toFile()));
        } catch (CipherException e) {
            // web3j says "Invalid password provided" for a MAC mismatch; anything else is the file's fault
            if (String.valueOf(e.getMessage()).contains("Invalid password")) {
                throw new ChainException("wrong password for the wallet at " + keystore, e);
            }
            throw new ChainException(keystore + " is not a valid keystore: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ChainException known) {
                throw known;
            }
            throw new ChainException(keystore + " is not a valid keystore: " + e.getMessage(), e);
        }
    }

    /**
     * The address a keystore names, read without its password: Web3 Secret Storage files carry it
     * in clear, so listing a wallet's files need not pay for scrypt. Empty when the file names none.
     *
     * @throws ChainException naming the file when it is missing or not a keystore
     */
    public static Optional<Address> addressOfKeystore(Path keystore) {
        if (!Files.isRegularFile(keystore)) {
            throw ChainException.notFound("no wallet at " + keystore + " (create one with `coop wallet create`)");
        }
        try {
            var json = JSON.readTree(keystore.toFile());
            if (json == null || !json.has("version")) {
                throw new ChainException(keystore + " is not a valid keystore: no version");
            }
            String address = json.path("address").asText("");
            if (address.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Address.of(address.startsWith("0x") ? address : "0x" + address));
        } catch (IOException | IllegalArgumentException e) {
            throw new ChainException(keystore + " is not a valid keystore: " + e.getMessage(), e);
        }
    }

    /** Writes this wallet as a keystore at {@code keystore}, readable by its owner only. */
    public void save(Path keystore, char[] password) {
        if (password.length == 0) {
            throw new IllegalArgumentException("a wallet password may not be empty");
        }
        Path partial = keystore.resolveSibling("." + keystore.getFileName() + ".partial");
        try {
            Files.createDirectories(keystore.toAbsolutePath().getParent());
            WalletFile file = org.web3j.crypto.Wallet.createStandard(new String(password), credentials.getEcKeyPair());
            Files.deleteIfExists(partial);
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(partial)) {
                out.write(JSON.writeValueAsString(file).getBytes(StandardCharsets.UTF_8));
            }
            Files.move(partial, keystore, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (CipherException | IOException e) {
            throw new ChainException("cannot write the wallet to " + keystore + ": " + e.getMessage(), e);
        }
    }

    public Address address() {
        return Address.of(credentials.getAddress());
    }

    /**
     * The password of this wallet's files: the {@code 0x}-hex of its EIP-191 signature of
     * {@code seed} (r, s, v; 65 bytes). Deterministic (RFC 6979), so the wallet always derives
     * the same password, as Vana's and LazAI's clients do. It is a secret: never log it.
     */
    public String encryptionPassword(String seed) {
        return Numeric.toHexString(signMessage(seed.getBytes(StandardCharsets.UTF_8)));
    }

    /** EIP-191 {@code personal_sign} of {@code message}: r, s, v (27 or 28); 65 bytes. */
    public byte[] signMessage(byte[] message) {
        return rsv(Sign.signPrefixedMessage(message, credentials.getEcKeyPair()));
    }

    /** A signature of the 32-byte {@code digest} itself, as EIP-712 verifiers take it: r, s, v; 65 bytes. */
    public byte[] signDigest(byte[] digest) {
        if (digest.length != 32) {
            throw new IllegalArgumentException("a digest to sign is 32 bytes, not " + digest.length);
        }
        return rsv(Sign.signMessage(digest, credentials.getEcKeyPair(), false));
    }

    /** The address whose key made the EIP-191 {@code signature} (65 bytes, r s v) of {@code message}. */
    public static Address signerOfMessage(byte[] message, byte[] signature) {
        Sign.SignatureData data = signatureData(signature);
        try {
            return Address.of("0x" + Keys.getAddress(Sign.signedPrefixedMessageToKey(message, data)));
        } catch (SignatureException e) {
            throw new IllegalArgumentException("not a valid signature: " + e.getMessage(), e);
        }
    }

    /**
     * The uncompressed (65-byte) public key whose owner made {@code signature} (r, s, v) of the
     * raw 32-byte {@code digest}: who signed a request, and the key to encrypt the answer to.
     */
    public static byte[] signerPublicKeyOfDigest(byte[] digest, byte[] signature) {
        Sign.SignatureData data = signatureData(signature);
        try {
            BigInteger key = Sign.signedMessageHashToKey(digest, data);
            byte[] uncompressed = new byte[65];
            uncompressed[0] = 0x04;
            byte[] raw = Numeric.toBytesPadded(key, 64);
            System.arraycopy(raw, 0, uncompressed, 1, 64);
            return uncompressed;
        } catch (SignatureException e) {
            throw new IllegalArgumentException("not a valid signature: " + e.getMessage(), e);
        }
    }

    /** The address of an uncompressed (65-byte) secp256k1 public key. */
    public static Address addressOf(byte[] uncompressedPublicKey) {
        return Address.of("0x" + Keys.getAddress(Numeric.toBigInt(Arrays.copyOfRange(uncompressedPublicKey, 1, 65))));
    }

    private static Sign.SignatureData signatureData(byte[] signature) {
        if (signature.length != 65) {
            throw new IllegalArgumentException("a signature is 65 bytes (r, s, v), not " + signature.length);
        }
        byte v = signature[64] < 27 ? (byte) (signature[64] + 27) : signature[64];
        return new Sign.SignatureData(v, Arrays.copyOfRange(signature, 0, 32), Arrays.copyOfRange(signature, 32, 64));
    }

    private static byte[] rsv(Sign.SignatureData signature) {
        byte[] rsv = new byte[65];
        System.arraycopy(signature.getR(), 0, rsv, 0, 32);
        System.arraycopy(signature.getS(), 0, rsv, 32, 32);
        rsv[64] = signature.getV()[0];
        return rsv;
    }

    /** This wallet's uncompressed (65-byte) secp256k1 public key, to which ECIES wraps keys. */
    public byte[] publicKey() {
        return KeyWrapping.secp256k1PublicKey(credentials.getEcKeyPair().getPrivateKey());
    }

    /** Opens a key ECIES-wrapped (eccrypto layout) to this wallet; one uniform error on any failure. */
    public byte[] unwrapEcies(String wrappedHex) {
        return new KeyWrapping().unwrapEcies(wrappedHex, credentials.getEcKeyPair().getPrivateKey());
    }

    Credentials credentials() {
        return credentials;
    }

    /** The private key in hex, for writing it where the user asked (never logged). */
    public String privateKeyHex() {
        return Numeric.toHexStringWithPrefixZeroPadded(credentials.getEcKeyPair().getPrivateKey(), 64);
    }

    @Override
    public String toString() {
        return "Wallet[" + address() + "]";
    }
}
