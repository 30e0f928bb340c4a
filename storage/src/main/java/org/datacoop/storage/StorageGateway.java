package org.datacoop.storage;

import static org.datacoop.storage.http.JsonHttpServer.send;
import static org.datacoop.storage.http.JsonHttpServer.sendError;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;
import org.datacoop.protocol.storage.BlobId;
import org.datacoop.protocol.storage.StorageException;
import org.datacoop.storage.http.JsonHttpServer;

/**
 * The HTTP face of a {@link LocalBlobStore}, so that a validator on another host can fetch the url
 * registered on-chain: {@code POST /blobs} stores the body and answers {@code {"id","url","size"}};
 * {@code GET /blobs/{id}} streams a blob. Every other answer, an unknown path included, is JSON
 * {@code {"error": "..."}} with 400, 404, 405, 413 or 500 ({@link JsonHttpServer}).
 *
 * <p>A browser page may use it from one origin only, the web app's, if it is given one: that origin
 * gets CORS headers (and its preflight an answer); any other origin gets none, so browsers refuse it.
 */
public final class StorageGateway implements AutoCloseable {
    private static final String PREFIX = "/blobs";

    private final LocalBlobStore store;
    private final JsonHttpServer server;
    private final String baseUrl;
    private final Optional<String> webOrigin;

    private StorageGateway(LocalBlobStore store, JsonHttpServer server, Optional<String> webOrigin) {
        this.store = store;
        this.server = server;
        this.baseUrl = server.url();
        this.webOrigin = webOrigin;
    }

    /** Serves {@code store} on {@code host:port} (port 0: a free one), to no browser page. */
    public static StorageGateway start(LocalBlobStore store, String host, int port) {
        return start(store, host, port, Optional.empty());
    }

    /** Serves {@code store} on {@code host:port} (port 0: a free one), to pages from {@code webOrigin} too. */
    public static StorageGateway start(LocalBlobStore store, String host, int port, Optional<String> webOrigin) {
        JsonHttpServer server;
        try {
            server = JsonHttpServer.bind(host, port);
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE,
                    "cannot serve storage on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        StorageGateway gateway = new StorageGateway(store, server, webOrigin);
        server.serve(gateway::handle);
        return gateway;
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
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (JsonHttpServer.admitOrigin(exchange, webOrigin, "GET, HEAD, POST")) {
            return;
        }
        try {
            if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
                if (!method.equals("POST")) {
                    sendError(exchange, 405, method + " " + path + " is not supported; POST a blob here");
                    return;
                }
                BlobId id;
                try (InputStream body = exchange.getRequestBody()) {
                    id = store.put(body);
                }
                send(exchange, 201, Map.of("id", id.sha256(), "url", urlOf(id), "size", store.size(id)));
                return;
            }
            if (!path.startsWith(PREFIX + "/")) {
                sendError(exchange, 404, "no such endpoint: " + path + " (try POST " + PREFIX + " or GET " + PREFIX + "/{id})");
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                sendError(exchange, 405, method + " " + path + " is not supported; GET a blob here");
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
                sendError(exchange, status, e.getMessage());
            }
            // once the headers are out, closing the exchange early tells the client the body is incomplete
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
