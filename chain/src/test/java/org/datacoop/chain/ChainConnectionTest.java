package org.datacoop.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.chain.devnet.Toolchain;
import org.datacoop.protocol.Address;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.DefaultBlockParameterName;

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

    @Test
    void parallelSendsEachGetTheirOwnNonce() throws Exception {
        try (Anvil anvil = Anvil.start(Toolchain.discover(), 0, Optional.empty(), Optional.empty());
                ChainConnection chain = ChainConnection.open(anvil.rpcUrl(), Anvil.DEV_ACCOUNT_KEY)) {
            Address to = Wallet.create().address();
            ExecutorService senders = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> sent = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    sent.add(senders.submit(() -> chain.sendEther(to, BigDecimal.ONE)));
                }
                for (Future<String> tx : sent) {
                    assertThat(tx.get()).startsWith("0x");
                }
            } finally {
                senders.shutdownNow();
            }
            assertThat(chain.balance(to)).isEqualTo(BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(40)));
            assertThat(transactionCount(chain, DefaultBlockParameterName.LATEST)).isEqualTo(40);
        }
    }

    @Test
    void aRefusedSendLeavesNoGapInTheNonces() {
        try (Anvil anvil = Anvil.start(Toolchain.discover(), 0, Optional.empty(), Optional.empty());
                ChainConnection chain = ChainConnection.open(anvil.rpcUrl(), Anvil.DEV_ACCOUNT_KEY)) {
            Address to = Wallet.create().address();
            chain.sendEther(to, BigDecimal.ONE);
            // More than the devnet account holds: the node refuses it, so its nonce stays free.
            assertThatThrownBy(() -> chain.sendEther(to, new BigDecimal("1000000000")))
                    .isInstanceOf(ChainException.class)
                    .hasMessageContaining("sending 1000000000 ETH to " + to)
                    .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("insufficient funds"));
            chain.sendEther(to, BigDecimal.ONE); // with a gap this would never be mined
            assertThat(transactionCount(chain, DefaultBlockParameterName.LATEST)).isEqualTo(2);
            assertThat(transactionCount(chain, DefaultBlockParameterName.PENDING)).isEqualTo(2);
        }
    }

    @Test
    void anotherSenderOfTheSameKeyDoesNotBreakTheCount() {
        try (Anvil anvil = Anvil.start(Toolchain.discover(), 0, Optional.empty(), Optional.empty());
                ChainConnection chain = ChainConnection.open(anvil.rpcUrl(), Anvil.DEV_ACCOUNT_KEY);
                ChainConnection other = ChainConnection.open(anvil.rpcUrl(), Anvil.DEV_ACCOUNT_KEY)) {
            Address to = Wallet.create().address();
            chain.sendEther(to, BigDecimal.ONE);
            other.sendEther(to, BigDecimal.ONE); // takes the nonce the first connection counts on next
            chain.sendEther(to, BigDecimal.ONE);
            assertThat(transactionCount(chain, DefaultBlockParameterName.LATEST)).isEqualTo(3);
        }
    }

    private static long transactionCount(ChainConnection chain, DefaultBlockParameterName block) {
        try {
            return chain.web3j().ethGetTransactionCount(chain.account().value(), block).send().getTransactionCount()
                    .longValueExact();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
