package org.datacoop.node.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.datacoop.protocol.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeysTest {
    @TempDir
    Path dir;

    @Test
    void createsKeysOnceOwnerOnlyAndFindsTheSameOnesAgain() throws Exception {
        NodeKeys first = NodeKeys.loadOrCreate(dir);
        NodeKeys again = NodeKeys.loadOrCreate(dir);
        assertThat(again.wallet().address()).isEqualTo(first.wallet().address());
        assertThat(again.rsaPublicKey()).isEqualTo(first.rsaPublicKey());
        for (String file : new String[] {"signing.key", "rsa.key"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file)))).isEqualTo("rw-------");
        }
    }

    @Test
    void describesItselfHonestlyAsASoftwareEnclave() {
        NodeKeys keys = NodeKeys.loadOrCreate(dir);
        Validator validator = keys.descriptor("http://127.0.0.1:7000");
        assertThat(validator.enclaveType()).isEqualTo("software");
        assertThat(validator.measurement()).isEqualTo("0x" + "00".repeat(32));
        assertThat(validator.secp256k1PublicKey()).hasSize(65).startsWith((byte) 4);
        assertThat(validator.rsaPublicKey()).isEqualTo(keys.rsaPublicKey().getEncoded());
    }
}
