package org.datacoop.storage.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK's HTTP server as DataCoop's services use it (the storage gateway, the validator's API):
 * one handler for every path, on virtual threads, and answers in JSON. Left to itself the JDK
 * answers a path with no handler with an HTML page, and a handler that throws with an empty reply;
 * here the handler sees every path, and a failure is a JSON {@code {"error": ...}} with 500.
 */
public final class JsonHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JsonHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService workers;

    private JsonHttpServer(HttpServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    /** Binds {@code host:port} (port 0: a free one) now; requests are answered once {@link #serve} is called. */
    public static JsonHttpServer bind(String host, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(workers);
        return new JsonHttpServer(server, workers);
    }

    /** Where the server answers, e.g. {@code http://127.0.0.1:4319}. */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /** Starts answering every request, whatever its path, with {@code handler}, which closes no exchange itself. */
    public void serve(HttpHandler handler) {
        server.createContext("/", exchange -> {
            try (exchange) {
                try {
                    handler.handle(exchange);
                } catch (IOException | RuntimeException e) {
                    String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
                    LOG.error("{} failed", request, e);
                    // once the headers are out, closing the exchange early tells the client the body is incomplete
                    if (exchange.getResponseCode() == -1) {
                        sendError(exchange, 500, request + " failed: " + e.getClass().getSimpleName());
                    }
                }
            }
        });
        server.start();
    }

    /** Answers {@code status} with {@code body} as JSON. */
    public static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Admits a browser page from {@code webOrigin} (the web app's) and no other: a request from that
     * origin gets CORS headers, and its preflight is answered here (true: nothing more to send). Any
     * other origin gets none, so browsers refuse it.
     */
    public static boolean admitOrigin(HttpExchange exchange, Optional<String> webOrigin, String methods) throws IOException {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin == null || webOrigin.filter(origin::equals).isEmpty()) {
            return false;
        }
        exchange.getResponseHeaders().set("Access-Control-Allow-Origin", origin);
        exchange.getResponseHeaders().set("Vary", "Origin");
        if (!exchange.getRequestMethod().equals("OPTIONS")) {
            return false;
        }
        exchange.getResponseHeaders().set("Access-Control-Allow-Methods", methods);
        exchange.getResponseHeaders().set("Access-Control-Allow-Headers", "Content-Type");
        exchange.sendResponseHeaders(204, -1);
        return true;
    }

    /** Answers {@code status} with {@code {"error": message}}. */
    public static void sendError(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, Map.of("error", message));
    }

    /** Stops listening and interrupts the requests still being answered. */
    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
