package org.datacoop.node.program;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.datacoop.protocol.Sha256;

/**
 * Finds the program a DataDAO pinned on-chain and refuses any other: the bytes at the program url
 * (http(s), or a {@code data:} url holding them) must hash to the DataDAO's {@code programDigest}.
 * A JSON definition naming {@link DeclarativeProgram#PROGRAM_ID} configures the built-in program;
 * an executable (a script with {@code #!}, or an ELF binary) is an {@link ExternalProgram}.
 * Loaded programs are kept by digest.
 */
public final class ProgramLoader {
    private static final int MAX_PROGRAM_BYTES = 64 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    private final Path cache;
    private final ContentIndex index;
    private final Map<String, ContributionProgram> loaded = new ConcurrentHashMap<>();

    /**
     * @param cache where fetched external programs are kept, by digest
     * @param index the duplicate index the built-in program uses
     */
    public ProgramLoader(Path cache, ContentIndex index) {
        this.cache = cache;
        this.index = index;
    }

    /**
     * The program DataDAO {@code dlpId} pins: the bytes at {@code url} must hash to {@code pinnedDigest}.
     * Only the DataDAO's own url is used, never one a caller names: callers are not authenticated.
     */
    public ContributionProgram load(long dlpId, String pinnedDigest, String url) {
        String pinned = pinnedDigest.toLowerCase().replaceFirst("^0x", "");
        ContributionProgram known = loaded.get(pinned);
        if (known != null) {
            return known;
        }
        byte[] bytes = fetchPinned(url, pinned, "the program of DataDAO " + dlpId);
        ContributionProgram program = build(bytes, pinned);
        loaded.put(pinned, program);
        return program;
    }

    private ContributionProgram build(byte[] bytes, String digest) {
        if (bytes.length > 0 && bytes[0] == '{') {
            JsonNode definition;
            try {
                definition = JSON.readTree(bytes);
            } catch (IOException e) {
                throw new ProgramException(ProgramException.Reason.REFUSED, "the program definition is not JSON: " + e.getMessage());
            }
            return DeclarativeProgram.fromDefinition(definition, index);
        }
        boolean script = bytes.length > 2 && bytes[0] == '#' && bytes[1] == '!';
        boolean elf = bytes.length > 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
        if (!script && !elf) {
            throw new ProgramException(ProgramException.Reason.REFUSED,
                    "the program is neither a declarative definition (JSON) nor an executable (#! script or ELF)");
        }
        try {
            Files.createDirectories(cache);
            Path executable = cache.resolve(digest);
            if (!Files.exists(executable)) {
                Path partial = Files.createTempFile(cache, digest, ".partial");
                Files.write(partial, bytes);
                Files.move(partial, executable, StandardCopyOption.ATOMIC_MOVE);
            }
            return new ExternalProgram(executable, ExternalProgram.Limits.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the program in " + cache, e);
        }
    }

    /**
     * The bytes published at {@code url} whose SHA-256 must be {@code pinnedDigest} (hex, with or
     * without {@code 0x}): a program, a refiner or a schema pinned on-chain. Fails naming {@code what}.
     */
    public static byte[] fetchPinned(String url, String pinnedDigest, String what) {
        String pinned = pinnedDigest.toLowerCase().replaceFirst("^0x", "");
        byte[] bytes = fetch(url);
        String digest = HexFormat.of().formatHex(Sha256.of(bytes));
        if (!digest.equals(pinned)) {
            throw new ProgramException(ProgramException.Reason.REFUSED, what + " at " + shorten(url) + " has digest 0x"
                    + digest + ", but 0x" + pinned + " is pinned on-chain; refusing it");
        }
        return bytes;
    }

    /** The bytes published at {@code url} (data:, http or https), bounded; fails naming the url. */
    public static byte[] fetch(String url) {
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            if (comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
                throw new ProgramException(ProgramException.Reason.REFUSED, "a data: program url must be base64");
            }
            try {
                return Base64.getDecoder().decode(url.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                throw new ProgramException(ProgramException.Reason.REFUSED, "the data: program url is not valid base64");
            }
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ProgramException(ProgramException.Reason.REFUSED, "the program url " + shorten(url) + " is malformed");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new ProgramException(ProgramException.Reason.REFUSED,
                    "the program url " + shorten(url) + " is neither http(s) nor data:");
        }
        try {
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new ProgramException(ProgramException.Reason.REFUSED,
                            "fetching the program from " + shorten(url) + " answered HTTP " + response.statusCode());
                }
                byte[] bytes = body.readNBytes(MAX_PROGRAM_BYTES + 1);
                if (bytes.length > MAX_PROGRAM_BYTES) {
                    throw new ProgramException(ProgramException.Reason.REFUSED,
                            "the program at " + shorten(url) + " is over " + (MAX_PROGRAM_BYTES >> 20) + " MiB");
                }
                return bytes;
            }
        } catch (IOException e) {
            throw new ProgramException(ProgramException.Reason.REFUSED,
                    "cannot fetch the program from " + shorten(url) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProgramException(ProgramException.Reason.REFUSED, "fetching the program was interrupted");
        }
    }

    private static String shorten(String url) {
        return url.length() <= 80 ? url : url.substring(0, 77) + "...";
    }
}
