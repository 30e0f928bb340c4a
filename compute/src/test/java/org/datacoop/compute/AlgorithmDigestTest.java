package org.datacoop.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Digests as users write them are read in one form; anything else is refused naming it. */
class AlgorithmDigestTest {
    private static final String HEX = "ab".repeat(32);

    @Test
    void readsHexWithOrWithoutPrefixInEitherCase() {
        AlgorithmDigest digest = new AlgorithmDigest(HEX);

        assertThat(AlgorithmDigest.parse("0x" + HEX)).isEqualTo(digest);
        assertThat(AlgorithmDigest.parse("0X" + HEX.toUpperCase())).isEqualTo(digest);
        assertThat(digest.toString()).isEqualTo("0x" + HEX);
        assertThat(AlgorithmDigest.of(digest.bytes())).isEqualTo(digest);
    }

    @Test
    void refusesWhatIsNotASha256() {
        for (String bad : new String[] {"", "0x", HEX.substring(2), HEX + "00", "zz" + HEX.substring(2), "0x0x" + HEX.substring(4)}) {
            assertThatThrownBy(() -> AlgorithmDigest.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("64 lowercase hex digits");
        }
        assertThatThrownBy(() -> AlgorithmDigest.of(new byte[31])).hasMessageContaining("32 bytes, not 31");
    }
}
