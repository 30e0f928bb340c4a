package org.datacoop.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.datacoop.chain.contracts.DataRegistry;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.chain.devnet.Toolchain;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/** Event scans on a real anvil: paged in bounded block ranges, starting at the deployment. */
class EventScanTest {
    private static final Consumer<EthFilter> FILE_ADDED =
            filter -> filter.addSingleTopic(EventEncoder.encode(DataRegistry.FILEADDED_EVENT));

    private Anvil anvil;
    private ChainConnection chain;

    @BeforeEach
    void start() {
        anvil = Anvil.start(Toolchain.discover(), 0, Optional.empty(), Optional.empty());
        chain = ChainConnection.open(anvil.rpcUrl(), Anvil.DEV_ACCOUNT_KEY);
    }

    @AfterEach
    void stop() {
        chain.close();
        anvil.close();
    }

    @Test
    void pagesAScanInRangesOfAtMostTheGivenBlocksAndMissesNoBlock() {
        String registry = registryWithFiles(6); // deployed in block 1, a file in each of blocks 2..7

        assertThat(blocks(Calls.logs(chain, registry, 1, 7, 2, FILE_ADDED, "reading files")))
                .containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
        // Both ends included, also where they cut a range, and where the last range is one block.
        assertThat(blocks(Calls.logs(chain, registry, 3, 6, 2, FILE_ADDED, "reading files"))).containsExactly(3L, 4L, 5L, 6L);
        assertThat(blocks(Calls.logs(chain, registry, 2, 6, 2, FILE_ADDED, "reading files")))
                .containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(blocks(Calls.logs(chain, registry, 7, 7, 2, FILE_ADDED, "reading files"))).containsExactly(7L);
        assertThat(Calls.logs(chain, registry, 8, 7, 2, FILE_ADDED, "reading files")).isEmpty();
    }

    @Test
    void readsAProviderThatRefusesLargeRangesInRangesItAccepts() throws IOException {
        String registry = registryWithFiles(6);
        try (RangeLimitedProvider provider = new RangeLimitedProvider(anvil.rpcUrl(), 2);
                ChainConnection limited = ChainConnection.open(provider.url(), Anvil.DEV_ACCOUNT_KEY)) {
            assertThat(blocks(Calls.logs(limited, registry, 1, 7, 2, FILE_ADDED, "reading files")))
                    .containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(provider.logCalls.get()).isEqualTo(4); // 1..2, 3..4, 5..6, 7..7
            assertThatThrownBy(() -> Calls.logs(limited, registry, 1, 7, 3, FILE_ADDED, "reading files"))
                    .isInstanceOf(ChainException.class)
                    .hasMessage("reading files in blocks 1..3 failed: the node answered block range 1..3 exceeds 2 blocks");
        }
    }

    @Test
    void aScanOfANodeThatDoesNotAnswerNamesWhatAndWhichBlocks() {
        String registry = registryWithFiles(1);
        anvil.close();
        assertThatThrownBy(() -> Calls.logs(chain, registry, 1, 7, 2, FILE_ADDED, "reading files"))
                .isInstanceOf(ChainException.class)
                .hasMessageStartingWith("reading files in blocks 1..2 failed");
    }

    @Test
    void theDeploymentStartsAtItsFirstTransactionAndItsScansFindWhatFollows() {
        Address someone = Address.of("0x00000000000000000000000000000000000000aa");
        for (int i = 0; i < 3; i++) {
            chain.sendEther(someone, BigDecimal.ONE); // blocks 1..3 hold nothing of DataCoop's
        }
        Deployment deployment = new Deployer(chain, step -> {}).deploy(Deployer.Settings.DEFAULT, true);
        assertThat(deployment.deploymentBlock()).isEqualTo(4);

        DataCoopChain coop = new DataCoopChain(chain, deployment);
        long fileId = coop.addFile("https://example.org/a", Sha256.of(new byte[] {1})).fileId();
        assertThat(coop.filesOf(chain.account())).extracting(ContributedFile::id).containsExactly(fileId);
        assertThat(coop.revokedFrom(fileId)).isEmpty();
        assertThatThrownBy(() -> coop.revokedFrom(fileId + 1))
                .isInstanceOf(ChainException.class)
                .hasMessageStartingWith("there is no file " + (fileId + 1));
    }

    private String registryWithFiles(int files) {
        DataRegistry registry = Calls.send("deploying DataRegistry",
                DataRegistry.deploy(chain.web3j(), chain.transactions(), chain.gas(), chain.account().value()));
        for (int i = 1; i <= files; i++) {
            Calls.send("adding file " + i, registry.addFile("https://example.org/" + i, Sha256.of(new byte[] {(byte) i})));
        }
        return registry.getContractAddress();
    }

    /** A JSON-RPC proxy to anvil that, like hosted providers, refuses eth_getLogs over more than {@code maxBlocks}. */
    private static final class RangeLimitedProvider implements AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();

        final AtomicInteger logCalls = new AtomicInteger();
        private final HttpServer server;

        RangeLimitedProvider(String upstream, long maxBlocks) throws IOException {
            HttpClient client = HttpClient.newHttpClient();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                JsonNode request = JSON.readTree(body);
                byte[] answer;
                if (request.path("method").asText().equals("eth_getLogs")) {
                    logCalls.incrementAndGet();
                    JsonNode filter = request.path("params").path(0);
                    long from = Numeric.toBigInt(filter.path("fromBlock").asText()).longValueExact();
                    long to = Numeric.toBigInt(filter.path("toBlock").asText()).longValueExact();
                    if (to - from + 1 > maxBlocks) {
                        answer = JSON.writeValueAsBytes(Map.of("jsonrpc", "2.0", "id", request.path("id"), "error", Map.of(
                                "code", -32005, "message", "block range " + from + ".." + to + " exceeds " + maxBlocks + " blocks")));
                        respond(exchange, answer);
                        return;
                    }
                }
                try {
                    answer = client.send(HttpRequest.newBuilder(URI.create(upstream))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            HttpResponse.BodyHandlers.ofByteArray()).body();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted forwarding to anvil", e);
                }
                respond(exchange, answer);
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private static void respond(HttpExchange exchange, byte[] answer) throws IOException {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (var out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static List<Long> blocks(List<Log> logs) {
        return logs.stream().map(log -> log.getBlockNumber().longValueExact()).toList();
    }
}
