package org.datacoop.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.datacoop.protocol.storage.BlobId;
import org.datacoop.protocol.storage.StorageException;

/**
 * The HTTP face of a {@link LocalBlobStore}, so that a validator on another host can fetch the url
 * registered on-chain: {@code POST /blobs} stores the body and answers {@code {"id","url","size"}};
 * {@code GET /blobs/{id}} streams a blob. Errors are JSON {@code {"error": "..."}} with 400, 404,
 * 413 or 500. The JDK's own server: the gateway needs nothing a framework adds.
 */
public final class StorageGateway implements AutoCloseable {
    private static final String PREFIX = "/blobs";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalBlobStore store;
    private final HttpServer server;
    private final ExecutorService workers;
    private final String baseUrl;

    private StorageGateway(LocalBlobStore store, HttpServer server, ExecutorService workers) {
        this.store = store;
        this.server = server;
        this.workers = workers;
        this.baseUrl = "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /** Serves {@code store} on {@code host:port} (port 0: a free one). */
    public static StorageGateway start(LocalBlobStore store, String host, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
            ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
            StorageGateway gateway = new StorageGateway(store, server, workers);
            server.createContext(PREFIX, gateway::handle);
            server.setExecutor(workers);
            server.start();
            return gateway;
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE,
                    "cannot serve storage on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Where blobs are served, e.g. {@code http://127.0.0.1:4318}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The url a blob is fetched from. */
    public String urlOf(BlobId id) {
        return baseUrl + PREFIX + "/" + id;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            try {
                if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
                    if (!method.equals("POST")) {
                        error(exchange, 405, method + " " + path + " is not supported; POST a blob here");
                        return;
                    }
                    BlobId id;
                    try (InputStream body = exchange.getRequestBody()) {
                        id = store.put(body);
                    }
                    json(exchange, 201, Map.of("id", id.sha256(), "url", urlOf(id), "size", store.size(id)));
                    return;
                }
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    error(exchange, 405, method + " " + path + " is not supported; GET a blob here");
                    return;
                }
                BlobId id = new BlobId(path.substring(PREFIX.length() + 1));
                long size = store.size(id);
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                if (method.equals("HEAD")) {
                    exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
                    exchange.sendResponseHeaders(200, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, size);
                try (InputStream blob = store.open(id); OutputStream out = exchange.getResponseBody()) {
                    blob.transferTo(out);
                }
            } catch (StorageException e) {
                int status = switch (e.reason()) {
                    case MALFORMED_ID -> 400;
                    case NOT_FOUND -> 404;
                    case TOO_LARGE -> 413;
                    case CORRUPTED, UNAVAILABLE -> 500;
                };
                if (exchange.getResponseCode() == -1) {
                    error(exchange, status, e.getMessage());
                }
                // once the headers are out, closing the exchange early tells the client the body is incomplete
            }
        }
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        json(exchange, status, Map.of("error", message));
    }

    private static void json(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.close();
    }
}
