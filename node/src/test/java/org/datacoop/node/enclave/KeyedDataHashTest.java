package org.datacoop.node.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.datacoop.node.keys.NodeKeys;
import org.datacoop.protocol.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data hash the ownership registry binds: keyed per enclave and DataDAO, so outsiders cannot confirm a guess. */
class KeyedDataHashTest {
    @TempDir
    Path dir;

    @Test
    void theSameFileHashesAlikeForOneDataDaoOfOneEnclave() throws Exception {
        NodeKeys keys = NodeKeys.loadOrCreate(dir.resolve("keys"));
        assertThat(hash(keys, 1, file("steps,2026-01-01,9000")))
                .isEqualTo(hash(NodeKeys.loadOrCreate(dir.resolve("keys")), 1, file("steps,2026-01-01,9000")))
                .hasSize(32);
    }

    @Test
    void aGuessHashedWithoutTheSecretDoesNotMatch() throws Exception {
        Path file = file("steps,2026-01-01,9000");
        byte[] keyed = hash(NodeKeys.loadOrCreate(dir.resolve("keys")), 1, file);
        assertThat(keyed).isNotEqualTo(Sha256.of(Files.readAllBytes(file)));
        assertThat(keyed).as("another enclave's").isNotEqualTo(hash(NodeKeys.loadOrCreate(dir.resolve("other")), 1, file));
    }

    @Test
    void eachDataDaoHasItsOwnSecret() throws Exception {
        NodeKeys keys = NodeKeys.loadOrCreate(dir.resolve("keys"));
        Path file = file("steps,2026-01-01,9000");
        assertThat(hash(keys, 1, file)).isNotEqualTo(hash(keys, 2, file));
    }

    private static byte[] hash(NodeKeys keys, long dlpId, Path file) throws Exception {
        return KeyedDataHash.of(keys.secret(KeyedDataHash.purpose(dlpId)), file);
    }

    private Path file(String content) throws Exception {
        return Files.writeString(Files.createTempFile(dir, "data", ""), content, StandardCharsets.UTF_8);
    }
}
