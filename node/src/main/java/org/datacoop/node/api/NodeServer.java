package org.datacoop.node.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.datacoop.storage.http.JsonHttpServer;

/** Serves a {@link NodeApi} over HTTP, every path and every failure answered in JSON ({@link JsonHttpServer}). */
public final class NodeServer implements AutoCloseable {
    private final JsonHttpServer server;

    private NodeServer(JsonHttpServer server) {
        this.server = server;
    }

    /** Binds {@code host:port} (port 0: a free one) now; requests are answered once {@link #serve} is called. */
    public static NodeServer bind(String host, int port) {
        try {
            return new NodeServer(JsonHttpServer.bind(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the validator API on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Where the API answers, e.g. {@code http://127.0.0.1:4319}. */
    public String url() {
        return server.url();
    }

    /** Answers with {@code api}, to pages from {@code webOrigin} too (the web app's builder page queries here). */
    public void serve(NodeApi api, Optional<String> webOrigin) {
        server.serve(exchange -> {
            if (JsonHttpServer.admitOrigin(exchange, webOrigin, "GET, POST")) {
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(NodeApi.MAX_BODY_BYTES + 1);
            }
            NodeApi.Response response = api.handle(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body);
            JsonHttpServer.send(exchange, response.status(), response.body());
        });
    }

    @Override
    public void close() {
        server.close();
    }
}
