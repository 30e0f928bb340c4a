package org.datacoop.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.datacoop.chain.devnet.Anvil;
import org.junit.jupiter.api.Test;

class ChainConnectionTest {
    @Test
    void refusesAMissingOrMalformedKeyWithoutEchoingIt() {
        assertThatThrownBy(() -> ChainConnection.open("http://127.0.0.1:9", " "))
                .isInstanceOf(ChainException.class)
                .hasMessage("no private key given (use --private-key or COOP_PRIVATE_KEY)");
        assertThatThrownBy(() -> ChainConnection.open("http://127.0.0.1:9", "0xdeadbeef-secret"))
                .isInstanceOf(ChainException.class)
                .hasMessage("the private key is not 32 bytes of hex");
    }

    @Test
    void derivesTheAddressOfAKey() {
        assertThat(Wallet.fromPrivateKey(Anvil.DEV_ACCOUNT_KEY).address().value())
                .isEqualTo("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    }
}
