package org.datacoop.acceptance;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A JSON-RPC proxy in front of the devnet that keeps every request it forwards, so a test can count
 * the calls a node makes (to one contract, say) rather than time them.
 */
final class RpcCounter implements AutoCloseable {
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    RpcCounter(String upstream) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the RPC proxy", e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new String(body, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
            try {
                HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(URI.create(upstream))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many requests so far name {@code text} (a contract's address, say), in any case. */
    long callsNaming(String text) {
        String wanted = text.toLowerCase(Locale.ROOT);
        return requests.stream().filter(r -> r.contains(wanted)).count();
    }

    @Override
    public void close() {
        server.stop(0);
        client.close();
    }
}
