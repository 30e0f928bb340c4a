package org.datacoop.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HexTest {
    @Test
    void readsWithOrWithoutThePrefixAndWritesItLowercase() {
        assertThat(Hex.bytes("0xAB01")).containsExactly(0xab, 0x01);
        assertThat(Hex.bytes("0XAB01")).containsExactly(0xab, 0x01);
        assertThat(Hex.bytes("ab01")).containsExactly(0xab, 0x01);
        assertThat(Hex.bytes("0x")).isEmpty();
        assertThat(Hex.prefixed(new byte[] {(byte) 0xAB, 1})).isEqualTo("0xab01");
    }

    @Test
    void refusesWhatIsNoHex() {
        assertThatThrownBy(() -> Hex.bytes("0xabc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hex.bytes("0xzz")).isInstanceOf(IllegalArgumentException.class);
    }
}
