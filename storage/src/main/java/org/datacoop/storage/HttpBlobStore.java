package org.datacoop.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.datacoop.protocol.IoFailures;
import org.datacoop.protocol.storage.BlobId;
import org.datacoop.protocol.storage.BlobStore;
import org.datacoop.protocol.storage.StorageException;

/** A {@link StorageGateway} seen from another process or host: what contributors and validators use. */
public final class HttpBlobStore implements BlobStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One client for every fetch: each HttpClient keeps its own connection pool and threads. */
    private static final HttpClient SHARED = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** How long a server may take to start answering a read; a stalled body is the reader's to bound. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    /** An error body is read for its message only: a hostile server's endless one must not stall the reader. */
    private static final int MAX_ERROR_BYTES = 4096;

    private final String baseUrl;

    public HttpBlobStore(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** Where blob {@code id} is served: the url to register on-chain. */
    public String urlOf(BlobId id) {
        return baseUrl + "/blobs/" + id;
    }

    @Override
    public BlobId put(InputStream content) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/blobs"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> content))
                .build();
        HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray(), unreachable());
        JsonNode body = parse(response.body());
        if (response.statusCode() != 201) {
            throw failure(response.statusCode(), body, "uploading to " + baseUrl);
        }
        return new BlobId(body.path("id").asText());
    }

    @Override
    public InputStream open(BlobId id) {
        return fetch(urlOf(id), id);
    }

    @Override
    public boolean contains(BlobId id) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(urlOf(id)))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(ANSWER_TIMEOUT)
                .build();
        return send(request, HttpResponse.BodyHandlers.discarding(), unreachable()).statusCode() == 200;
    }

    /**
     * Fetches {@code url} (a url registered on-chain, from any gateway) as blob {@code expected}:
     * the stream fails at its end unless the bytes hash to it.
     */
    public static InputStream fetch(String url, BlobId expected) {
        return new VerifyingInputStream(fetch(url), expected);
    }

    /**
     * The bytes at {@code url}, unchecked: for a blob whose checksum nobody registered (a file
     * registered through Vana's calls); the caller hashes what it read and states that hash.
     */
    public static InputStream fetch(String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().timeout(ANSWER_TIMEOUT).build();
        HttpResponse<InputStream> response = send(request,
                HttpResponse.BodyHandlers.ofInputStream(), "cannot fetch " + url);
        if (response.statusCode() != 200) {
            try (InputStream error = response.body()) {
                throw failure(response.statusCode(), parse(error.readNBytes(MAX_ERROR_BYTES)), "fetching " + url);
            } catch (IOException e) {
                throw new StorageException(StorageException.Reason.UNAVAILABLE, "fetching " + url + " failed", e);
            }
        }
        return response.body();
    }

    /** All the bytes at {@code url}, unchecked: for a small document whose content the caller checks itself. */
    public static byte[] fetchBytes(String url) {
        try (InputStream in = fetch(url)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "fetching " + url + " failed", e);
        }
    }

    private String unreachable() {
        return "the storage gateway at " + baseUrl + " is unreachable";
    }

    /** Sends {@code request}; when nothing answers, the failure is {@code unreachable} and why, e.g. "connection refused". */
    private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String unreachable) {
        try {
            return SHARED.send(request, handler);
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, unreachable + ": " + IoFailures.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "interrupted while waiting for " + request.uri(), e);
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static StorageException failure(int status, JsonNode body, String what) {
        String message = body.path("error").asText("HTTP " + status);
        StorageException.Reason reason = switch (status) {
            case 400 -> StorageException.Reason.MALFORMED_ID;
            case 404 -> StorageException.Reason.NOT_FOUND;
            case 413 -> StorageException.Reason.TOO_LARGE;
            default -> StorageException.Reason.UNAVAILABLE;
        };
        return new StorageException(reason, what + ": " + message);
    }
}
