package org.datacoop.web;

import static org.datacoop.storage.http.JsonHttpServer.sendError;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.datacoop.chain.Deployment;
import org.datacoop.storage.http.JsonHttpServer;

/**
 * Serves the browser app on loopback, on a port of its own so that the page has an origin of its
 * own, which the storage gateway admits by name: {@code GET /} the page, its bundle and style
 * from the class path (built by esbuild), and {@code GET /deployment.json} the deployment the page
 * talks to (chain id, rpc url, contracts, storage url). Every other answer is JSON {@code {"error"}}.
 *
 * <p>The port is bound first ({@link #bind}), so that the storage gateway can be told the origin
 * before the deployment the page reads is known ({@link #serve}).
 */
public final class WebApp implements AutoCloseable {
    private static final String ROOT = "/org/datacoop/web/app/";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/app.js", "app.js",
            "/style.css", "style.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");
    /** The page loads only its own files; it may talk to any loopback port (rpc, storage), nowhere else. */
    private static final String POLICY = "default-src 'self'; connect-src 'self' http://127.0.0.1:*; "
            + "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final JsonHttpServer server;

    private WebApp(JsonHttpServer server) {
        this.server = server;
    }

    /** Binds {@code host:port} (port 0: a free one); nothing is answered until {@link #serve}. */
    public static WebApp bind(String host, int port) {
        try {
            return new WebApp(JsonHttpServer.bind(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the web app on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The page's url, and its origin, e.g. {@code http://127.0.0.1:4320}. */
    public String url() {
        return server.url();
    }

    /** Starts answering, the page told about {@code deployment}. */
    public void serve(Deployment deployment) {
        byte[] config = deployment.toJson().getBytes(StandardCharsets.UTF_8);
        server.serve(exchange -> handle(exchange, config));
    }

    private static void handle(HttpExchange exchange, byte[] config) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            sendError(exchange, 405, method + " " + path + " is not supported; the web app only serves GET");
            return;
        }
        exchange.getResponseHeaders().set("Content-Security-Policy", POLICY);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (path.equals("/deployment.json")) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            send(exchange, method, config);
            return;
        }
        String file = FILES.get(path);
        if (file == null) {
            sendError(exchange, 404, "no such page: " + path + " (the app is at /)");
            return;
        }
        byte[] body;
        try (InputStream in = WebApp.class.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                sendError(exchange, 500, file + " is missing from the class path: build the web module (esbuild writes app.js)");
                return;
            }
            body = in.readAllBytes();
        }
        exchange.getResponseHeaders().set("Content-Type", TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
        send(exchange, method, body);
    }

    private static void send(HttpExchange exchange, String method, byte[] body) throws IOException {
        if (method.equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
