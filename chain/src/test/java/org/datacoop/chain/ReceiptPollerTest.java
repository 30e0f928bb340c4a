package org.datacoop.chain;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.chain.devnet.Toolchain;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.protocol.http.HttpService;

class ReceiptPollerTest {
    private static final String NEVER_SENT = "0x" + "ab".repeat(32);

    @Test
    void aTransactionThatNeverLandsTimesOutNamingItsHash() {
        try (Anvil anvil = Anvil.start(Toolchain.discover(), 0, Optional.empty(), Optional.empty())) {
            Web3j web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
            ReceiptPoller receipts = new ReceiptPoller(web3j, Duration.ofMillis(10), Duration.ofMillis(300));
            try {
                assertThatThrownBy(() -> receipts.waitForTransactionReceipt(NEVER_SENT))
                        .isInstanceOf(TransactionException.class)
                        .hasMessageContaining("no receipt for transaction " + NEVER_SENT);
            } finally {
                receipts.close();
                web3j.shutdown();
            }
        }
    }

    @Test
    void anUnreachableNodeFailsTheWaiterAsUnreachable() {
        Web3j web3j = Web3j.build(new HttpService("http://127.0.0.1:9"));
        ReceiptPoller receipts = new ReceiptPoller(web3j, Duration.ofMillis(10), Duration.ofSeconds(30));
        try {
            assertThatThrownBy(() -> receipts.waitForTransactionReceipt(NEVER_SENT)).isInstanceOf(IOException.class);
        } finally {
            receipts.close();
            web3j.shutdown();
        }
    }

    @Test
    void aClosedPollerRefusesNewWaiters() {
        Web3j web3j = Web3j.build(new HttpService("http://127.0.0.1:9"));
        ReceiptPoller receipts = new ReceiptPoller(web3j, Duration.ofMillis(10), Duration.ofSeconds(30));
        receipts.close();
        web3j.shutdown();
        assertThatThrownBy(() -> receipts.waitForTransactionReceipt(NEVER_SENT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the connection is closed");
    }
}
