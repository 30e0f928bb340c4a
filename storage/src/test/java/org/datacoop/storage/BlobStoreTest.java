package org.datacoop.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import org.datacoop.protocol.storage.BlobId;
import org.datacoop.protocol.storage.BlobStore;
import org.datacoop.protocol.storage.StorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local store, through its gateway and the HTTP adapter as well as directly. */
class BlobStoreTest {
    private static final long LIMIT = 1 << 20;

    @TempDir
    Path dir;

    private LocalBlobStore local;
    private StorageGateway gateway;
    private HttpBlobStore remote;

    @BeforeEach
    void start() {
        local = new LocalBlobStore(dir.resolve("blobs"), LIMIT);
        gateway = StorageGateway.start(local, "127.0.0.1", 0);
        remote = new HttpBlobStore(gateway.baseUrl());
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private static byte[] bytes(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    @Test
    void storesUnderTheSha256OfTheContentAndReadsItBack() throws Exception {
        byte[] data = bytes(200_000);
        for (BlobStore store : new BlobStore[] {local, remote}) {
            BlobId id = store.put(new ByteArrayInputStream(data));
            assertThat(id.bytes()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
            assertThat(store.contains(id)).isTrue();
            try (InputStream in = store.open(id)) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
        }
    }

    @Test
    void keepsOneCopyOfTheSameContent() throws Exception {
        BlobId first = local.put(new ByteArrayInputStream(bytes(1000)));
        BlobId second = remote.put(new ByteArrayInputStream(bytes(1000)));
        assertThat(second).isEqualTo(first);
        try (var files = Files.walk(dir.resolve("blobs"))) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1);
        }
    }

    @Test
    void aBlobDamagedOnDiskIsReportedNotServed() throws Exception {
        BlobId id = local.put(new ByteArrayInputStream(bytes(5000)));
        byte[] onDisk = Files.readAllBytes(local.pathOf(id));
        onDisk[100] ^= 1;
        Files.write(local.pathOf(id), onDisk);

        assertThatThrownBy(() -> {
                    try (InputStream in = local.open(id)) {
                        in.readAllBytes();
                    }
                })
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith("blob " + id + " is corrupted");
        assertThatThrownBy(() -> {
                    try (InputStream in = remote.open(id)) {
                        in.readAllBytes();
                    }
                })
                .as("the gateway sends what it has; the reader's own check catches it")
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith("blob " + id + " is corrupted");
    }

    @Test
    void aBlobOverTheLimitIsRefusedAndLeavesNothing() throws Exception {
        assertThatThrownBy(() -> local.put(new ByteArrayInputStream(bytes((int) LIMIT + 1))))
                .isInstanceOf(StorageException.class)
                .hasMessage("blob is larger than the limit of " + LIMIT + " bytes");
        assertThatThrownBy(() -> remote.put(new ByteArrayInputStream(bytes((int) LIMIT + 1))))
                .isInstanceOf(StorageException.class)
                .extracting(e -> ((StorageException) e).reason())
                .isEqualTo(StorageException.Reason.TOO_LARGE);
        try (var files = Files.walk(dir.resolve("blobs"))) {
            assertThat(files.filter(Files::isRegularFile).count()).isZero();
        }
    }

    @Test
    void anUnknownBlobIsNamed() {
        BlobId unknown = new BlobId("ab".repeat(32));
        assertThatThrownBy(() -> local.open(unknown)).hasMessage("no blob " + unknown + " in this store");
        assertThatThrownBy(() -> remote.open(unknown))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("no blob " + unknown)
                .extracting(e -> ((StorageException) e).reason())
                .isEqualTo(StorageException.Reason.NOT_FOUND);
        assertThat(remote.contains(unknown)).isFalse();
    }

    @Test
    void aMalformedIdIsA400WithItsReason() throws Exception {
        assertThatThrownBy(() -> new BlobId("xyz")).hasMessage("not a blob id: 'xyz' (expected 64 hex digits of SHA-256)");
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.baseUrl() + "/blobs/xyz")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"error\":\"not a blob id: 'xyz' (expected 64 hex digits of SHA-256)\"}");
    }

    @Test
    void anUnknownPathIsAJson404NamingTheEndpoints() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        for (String path : new String[] {"/", "/favicon.ico", "/blobsx"}) {
            var response = http.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.baseUrl() + path)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(response.body()).isEqualTo("{\"error\":\"no such endpoint: " + path
                    + " (try POST /blobs or GET /blobs/{id})\"}");
        }
    }

    @Test
    void fetchesARegisteredUrlAsTheExpectedBlobOnly() throws Exception {
        BlobId id = local.put(new ByteArrayInputStream(bytes(3000)));
        BlobId other = local.put(new ByteArrayInputStream(bytes(4000)));
        try (InputStream in = HttpBlobStore.fetch(gateway.urlOf(id), id)) {
            assertThat(in.readAllBytes()).hasSize(3000);
        }
        assertThatThrownBy(() -> {
                    try (InputStream in = HttpBlobStore.fetch(gateway.urlOf(other), id)) {
                        in.readAllBytes();
                    }
                })
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is corrupted");
    }
}
