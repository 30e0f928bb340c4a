package org.datacoop.node.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.datacoop.protocol.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data hash the ownership registry binds: keyed per enclave and DataDAO, so outsiders cannot confirm a guess. */
class KeyedDataHashTest {
    private static final byte[] KEY = HexFormat.of().parseHex("11".repeat(32));
    private static final byte[] OTHER_KEY = HexFormat.of().parseHex("22".repeat(32));

    @TempDir
    Path dir;

    @Test
    void theSameFileHashesAlikeForOneDataDaoOfOneEnclave() throws Exception {
        Path file = file("steps,2026-01-01,9000");
        Path copy = file("steps,2026-01-01,9000");
        assertThat(KeyedDataHash.of(KeyedDataHash.secret(KEY, 1), file))
                .isEqualTo(KeyedDataHash.of(KeyedDataHash.secret(KEY, 1), copy))
                .hasSize(32);
    }

    @Test
    void aGuessHashedWithoutTheSecretDoesNotMatch() throws Exception {
        Path file = file("steps,2026-01-01,9000");
        byte[] keyed = KeyedDataHash.of(KeyedDataHash.secret(KEY, 1), file);
        assertThat(keyed).isNotEqualTo(Sha256.of(Files.readAllBytes(file)));
        assertThat(keyed).isNotEqualTo(KeyedDataHash.of(KeyedDataHash.secret(OTHER_KEY, 1), file));
    }

    @Test
    void eachDataDaoHasItsOwnSecret() throws Exception {
        Path file = file("steps,2026-01-01,9000");
        assertThat(KeyedDataHash.secret(KEY, 1)).isNotEqualTo(KeyedDataHash.secret(KEY, 2)).isNotEqualTo(KEY);
        assertThat(KeyedDataHash.of(KeyedDataHash.secret(KEY, 1), file))
                .isNotEqualTo(KeyedDataHash.of(KeyedDataHash.secret(KEY, 2), file));
    }

    private Path file(String content) throws Exception {
        return Files.writeString(Files.createTempFile(dir, "data", ""), content, StandardCharsets.UTF_8);
    }
}
