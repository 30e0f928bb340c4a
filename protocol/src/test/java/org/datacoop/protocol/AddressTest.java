package org.datacoop.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressTest {
    @Test
    void normalisesCaseAndWhitespace() {
        assertThat(Address.of(" 0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266 ").value())
                .isEqualTo("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    }

    @Test
    void rejectsMalformedAddressesNamingTheValue() {
        assertThatThrownBy(() -> Address.of("0x1234"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'0x1234'")
                .hasMessageContaining("40 hex digits");
        assertThatThrownBy(() -> Address.of("f39fd6e51aad88f6f4ce6ab8827279cfffb92266"))
                .hasMessageContaining("not an address");
        assertThatThrownBy(() -> Address.of("0xg39fd6e51aad88f6f4ce6ab8827279cfffb92266"))
                .hasMessageContaining("not an address");
        assertThatThrownBy(() -> Address.of(null)).hasMessage("address is missing");
    }

    @Test
    void knowsTheZeroAddress() {
        assertThat(Address.ZERO.isZero()).isTrue();
        assertThat(Address.of("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266").isZero()).isFalse();
    }
}
