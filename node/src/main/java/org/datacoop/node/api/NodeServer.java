package org.datacoop.node.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Serves a {@link NodeApi} over HTTP with the JDK's own server: the API needs nothing a framework adds. */
public final class NodeServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService workers;

    private NodeServer(HttpServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    /** Binds {@code host:port} (port 0: a free one) now; requests are answered once {@link #serve} is called. */
    public static NodeServer bind(String host, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
            ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(workers);
            return new NodeServer(server, workers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the validator API on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Where the API answers, e.g. {@code http://127.0.0.1:4319}. */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    public void serve(NodeApi api) {
        server.createContext("/", exchange -> handle(api, exchange));
        server.start();
    }

    private static void handle(NodeApi api, HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(NodeApi.MAX_BODY_BYTES + 1);
            }
            NodeApi.Response response = api.handle(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body);
            byte[] bytes = JSON.writeValueAsBytes(response.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(response.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
