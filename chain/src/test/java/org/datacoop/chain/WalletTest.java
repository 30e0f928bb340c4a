package org.datacoop.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.chain.devnet.Toolchain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalletTest {
    @TempDir
    Path dir;

    @Test
    void derivesThePasswordExactlyAsAnIndependentEip191SignerDoes() throws Exception {
        Wallet wallet = Wallet.fromPrivateKey(Anvil.DEV_ACCOUNT_KEY);
        assertThat(wallet.encryptionPassword(Wallet.DEFAULT_SEED))
                .isEqualTo(castSign(Anvil.DEV_ACCOUNT_KEY, Wallet.DEFAULT_SEED))
                .matches("0x[0-9a-f]{130}");
        assertThat(wallet.encryptionPassword("Sign to retrieve your encryption key"))
                .isEqualTo(castSign(Anvil.DEV_ACCOUNT_KEY, "Sign to retrieve your encryption key"));
    }

    @Test
    void derivesTheSamePasswordEveryTimeAndADifferentOnePerSeedAndKey() {
        Wallet wallet = Wallet.create();
        assertThat(wallet.encryptionPassword("seed")).isEqualTo(wallet.encryptionPassword("seed"));
        assertThat(wallet.encryptionPassword("seed")).isNotEqualTo(wallet.encryptionPassword("other seed"));
        assertThat(Wallet.create().encryptionPassword("seed")).isNotEqualTo(wallet.encryptionPassword("seed"));
    }

    @Test
    void savesAKeystoreOnlyItsOwnerReadsAndLoadsItBack() throws Exception {
        Wallet wallet = Wallet.create();
        Path keystore = dir.resolve("wallet.json");
        wallet.save(keystore, "correct horse".toCharArray());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore))).isEqualTo("rw-------");
        String json = Files.readString(keystore);
        assertThat(json).contains("\"version\":3", "scrypt").doesNotContain(wallet.privateKeyHex().substring(2));
        assertThat(Wallet.load(keystore, "correct horse".toCharArray()).address()).isEqualTo(wallet.address());
    }

    @Test
    void readsAKeystoresAddressWithoutItsPasswordAndRefusesOneThatIsNotAnAddress() throws Exception {
        Wallet wallet = Wallet.create();
        Path keystore = dir.resolve("wallet.json");
        wallet.save(keystore, "correct horse".toCharArray());
        assertThat(Wallet.addressOfKeystore(keystore)).contains(wallet.address());

        Path unnamed = Files.writeString(dir.resolve("unnamed.json"), "{\"version\":3,\"crypto\":{}}");
        assertThat(Wallet.addressOfKeystore(unnamed)).as("no address field: the caller opens it instead").isEmpty();
        Path forged = Files.writeString(dir.resolve("forged.json"), "{\"version\":3,\"address\":\"0x12zz\"}");
        assertThatThrownBy(() -> Wallet.addressOfKeystore(forged))
                .isInstanceOf(ChainException.class)
                .hasMessageStartingWith(forged + " is not a valid keystore: not an address");
        Path foreign = Files.writeString(dir.resolve("notes.json"), "{\"hello\": 1}");
        assertThatThrownBy(() -> Wallet.addressOfKeystore(foreign)).hasMessageStartingWith(foreign + " is not a valid keystore");
        assertThatThrownBy(() -> Wallet.addressOfKeystore(dir.resolve("none.json")))
                .hasMessageStartingWith("no wallet at " + dir.resolve("none.json"));
    }

    @Test
    void namesAWrongPasswordAMissingFileAndAForeignFile() throws Exception {
        Path keystore = dir.resolve("wallet.json");
        Wallet.create().save(keystore, "right".toCharArray());
        assertThatThrownBy(() -> Wallet.load(keystore, "wrong".toCharArray()))
                .isInstanceOf(ChainException.class)
                .hasMessage("wrong password for the wallet at " + keystore);
        assertThatThrownBy(() -> Wallet.load(dir.resolve("none.json"), "x".toCharArray()))
                .hasMessageStartingWith("no wallet at " + dir.resolve("none.json"));
        Path foreign = Files.writeString(dir.resolve("notes.json"), "{\"hello\": 1}");
        assertThatThrownBy(() -> Wallet.load(foreign, "x".toCharArray()))
                .hasMessageStartingWith(foreign + " is not a valid keystore");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"version\":3,\"crypto\":{\"cipher\":\"rot13\"}}");
        assertThatThrownBy(() -> Wallet.load(broken, "x".toCharArray()))
                .as("a malformed keystore is not reported as a wrong password")
                .isInstanceOf(ChainException.class)
                .hasMessageStartingWith(broken + " is not a valid keystore");
    }

    @Test
    void importsAKeyWithOrWithoutPrefix() {
        String bare = Anvil.DEV_ACCOUNT_KEY.substring(2);
        assertThat(Wallet.fromPrivateKey(bare).address()).isEqualTo(Wallet.fromPrivateKey(Anvil.DEV_ACCOUNT_KEY).address());
        assertThat(Wallet.fromPrivateKey(bare).privateKeyHex()).isEqualTo(Anvil.DEV_ACCOUNT_KEY);
        assertThat(Wallet.fromPrivateKey(bare).toString()).doesNotContain(bare);
    }

    private static String castSign(String key, String message) throws Exception {
        Process cast = new ProcessBuilder(List.of(
                        Toolchain.discover().tool("cast").toString(), "wallet", "sign", "--private-key", key, message))
                .redirectErrorStream(true)
                .start();
        String out = new String(cast.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(cast.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cast.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void aMessageSignatureRecoversToItsSigner() {
        Wallet wallet = Wallet.create();
        byte[] message = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] signature = wallet.signMessage(message);
        assertThat(Wallet.signerOfMessage(message, signature)).isEqualTo(wallet.address());
        assertThat(Wallet.signerOfMessage("{\"a\":2}".getBytes(StandardCharsets.UTF_8), signature))
                .isNotEqualTo(wallet.address());
    }
}
