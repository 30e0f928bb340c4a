package org.datacoop.node.program;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.datacoop.node.enclave.Archives;
import org.datacoop.node.program.ProgramException.Reason;
import org.datacoop.sandbox.Limits;
import org.datacoop.sandbox.Sandbox;
import org.datacoop.sandbox.image.ImageUnpacker;

/**
 * Finds the program a DataDAO pinned on-chain and refuses any other: the bytes at the program url
 * (http(s), or a {@code data:} url holding them) must hash to the DataDAO's {@code programDigest}.
 * What the bytes are decides how the program runs:
 * <ul>
 *   <li>a JSON definition naming {@link DeclarativeProgram#PROGRAM_ID}: the built-in program;
 *   <li>an executable ({@code #!} script or ELF): an {@link ExternalProgram} at {@code /app/program};
 *   <li>a zip, tar or tar.gz with {@code program.json}: a package at {@code /app};
 *   <li>an OCI or docker-save image archive (tar, or tar.gz): run over its own root file system.
 * </ul>
 * External programs run only in the node's sandbox; without one they are refused, naming why.
 * Loaded programs are kept by digest; loading is one at a time, so two jobs never unpack the same
 * program into the same cache at once.
 */
public final class ProgramLoader {
    /** The largest program: images hold a whole runtime. */
    public static final long MAX_PROGRAM_BYTES = 512L << 20;
    /** The most a package may unpack to, and how many files it may hold. */
    private static final long MAX_PACKAGE_BYTES = 1L << 30;
    private static final int MAX_PACKAGE_ENTRIES = 100_000;
    private static final int MAX_SMALL_BYTES = 64 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final byte[] GZIP_MAGIC = {(byte) 0x1f, (byte) 0x8b};
    private static final byte[] TAR_MAGIC = {'u', 's', 't', 'a', 'r'};
    private static final int TAR_MAGIC_OFFSET = 257;

    private final ContentIndex index;
    private final Optional<Sandbox> sandbox;
    private final String noSandboxReason;
    private final Limits limits;
    private final Map<String, ContributionProgram> loaded = new ConcurrentHashMap<>();
    private ImageUnpacker images;

    /**
     * @param index the duplicate index the built-in program uses
     * @param sandbox where external programs run; empty refuses them with {@code noSandboxReason}
     * @param limits what one run may use
     */
    public ProgramLoader(ContentIndex index, Optional<Sandbox> sandbox, String noSandboxReason, Limits limits) {
        this.index = index;
        this.sandbox = sandbox;
        this.noSandboxReason = noSandboxReason;
        this.limits = limits;
    }

    /**
     * The program DataDAO {@code dlpId} pins: the bytes at {@code url} must hash to {@code pinnedDigest}.
     * Only the DataDAO's own url is used, never one a caller names: callers are not authenticated.
     */
    public synchronized ContributionProgram load(long dlpId, String pinnedDigest, String url) {
        String pinned = normalise(pinnedDigest);
        ContributionProgram known = loaded.get(pinned);
        if (known != null) {
            return known;
        }
        String what = "the program of DataDAO " + dlpId;
        ContributionProgram program;
        if (sandbox.isEmpty()) {
            byte[] bytes = fetchPinned(url, pinned, what);
            if (bytes.length == 0 || bytes[0] != '{') {
                throw noSandbox();
            }
            program = declarative(bytes);
        } else {
            Path file = fetchToCache(sandbox.get(), url, pinned, what);
            program = isJson(file) ? declarative(read(file)) : external(sandbox.get(), file, pinned);
        }
        loaded.put(pinned, program);
        return program;
    }

    /**
     * A program other than a proof of contribution (a refiner), already checked against its pinned
     * digest, as an {@link ExternalProgram} in the sandbox.
     */
    public synchronized ExternalProgram external(String url, String pinnedDigest, String what) {
        String pinned = normalise(pinnedDigest);
        Sandbox box = sandbox.orElseThrow(this::noSandbox);
        return external(box, fetchToCache(box, url, pinned, what), pinned);
    }

    private ProgramException noSandbox() {
        return new ProgramException(Reason.REFUSED, "this validator runs no external program: " + noSandboxReason);
    }

    private ContributionProgram declarative(byte[] bytes) {
        JsonNode definition;
        try {
            definition = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ProgramException(Reason.REFUSED, "the program definition is not JSON: " + e.getMessage());
        }
        return DeclarativeProgram.fromDefinition(definition, index);
    }

    private ExternalProgram external(Sandbox box, Path file, String digest) {
        byte[] header = header(file);
        try {
            if (startsWith(header, 0, GZIP_MAGIC)) {
                Path tar = box.area().directory("programs").resolve(digest + ".tar");
                if (!Files.exists(tar)) {
                    gunzip(file, tar);
                }
                return fromTar(box, tar, digest);
            }
            if (startsWith(header, TAR_MAGIC_OFFSET, TAR_MAGIC)) {
                return fromTar(box, file, digest);
            }
            if (startsWith(header, 0, ZIP_MAGIC)) {
                Path dir = unpacked(box, digest, into -> Archives.extract(file, into, MAX_PACKAGE_BYTES, MAX_PACKAGE_ENTRIES));
                return ExternalProgram.packaged(box, dir, limits);
            }
            boolean script = header.length > 2 && header[0] == '#' && header[1] == '!';
            boolean elf = startsWith(header, 0, new byte[] {0x7f, 'E', 'L', 'F'});
            if (!script && !elf) {
                throw new ProgramException(Reason.REFUSED, "the program is none of: a declarative definition (JSON), an"
                        + " executable (#! script or ELF), a package (zip or tar with program.json), an image archive");
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return ExternalProgram.executable(box, file, limits);
        } catch (Archives.Refused e) {
            throw new ProgramException(Reason.REFUSED, "the program archive was refused: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the program " + digest, e);
        }
    }

    private ExternalProgram fromTar(Sandbox box, Path tar, String digest) throws IOException {
        if (ImageUnpacker.isImage(tar)) {
            return ExternalProgram.image(box, images(box).unpack(tar, digest), limits);
        }
        Path dir = unpacked(box, digest, into -> Archives.extractTar(tar, into, MAX_PACKAGE_BYTES, MAX_PACKAGE_ENTRIES));
        return ExternalProgram.packaged(box, dir, limits);
    }

    private ImageUnpacker images(Sandbox box) {
        if (images == null) {
            images = new ImageUnpacker(box.area());
        }
        return images;
    }

    private interface Extraction {
        void into(Path dir) throws IOException;
    }

    /** The package unpacked once per digest, readable (never writable) by the sandbox's user. */
    private static Path unpacked(Sandbox box, String digest, Extraction extraction) throws IOException {
        Path programs = box.area().directory("programs");
        Path dir = programs.resolve(digest + ".d");
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path partial = Files.createTempDirectory(programs, digest + ".partial");
        try {
            extraction.into(partial);
            try (var paths = Files.walk(partial)) {
                for (Path path : (Iterable<Path>) paths::iterator) {
                    boolean executable = Files.isDirectory(path) || Files.isExecutable(path);
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } finally {
            org.datacoop.node.enclave.Workspace.deleteTree(partial);
        }
    }

    /** The program's file in the cache, fetched once and checked against its digest as it streams in. */
    private static Path fetchToCache(Sandbox box, String url, String pinned, String what) {
        Path programs = box.area().directory("programs");
        Path file = programs.resolve(pinned);
        if (Files.isRegularFile(file)) {
            return file;
        }
        try {
            Path partial = Files.createTempFile(programs, pinned, ".partial");
            try {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                try (InputStream in = open(url); OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), sha256)) {
                    long copied = in.transferTo(out);
                    if (copied > MAX_PROGRAM_BYTES) {
                        throw new ProgramException(Reason.REFUSED, what + " is over " + (MAX_PROGRAM_BYTES >> 20) + " MiB");
                    }
                }
                checkDigest(HexFormat.of().formatHex(sha256.digest()), pinned, url, what);
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
                return file;
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new ProgramException(Reason.REFUSED, "cannot fetch " + what + " from " + shorten(url) + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The bytes published at {@code url} whose SHA-256 must be {@code pinnedDigest} (hex, with or
     * without {@code 0x}): a program, a refiner or a schema pinned on-chain. Fails naming {@code what}.
     */
    public static byte[] fetchPinned(String url, String pinnedDigest, String what) {
        String pinned = normalise(pinnedDigest);
        byte[] bytes = fetch(url);
        try {
            checkDigest(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), pinned, url, what);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return bytes;
    }

    /** The bytes published at {@code url} (data:, http or https), up to 64 MiB; fails naming the url. */
    public static byte[] fetch(String url) {
        if (url.startsWith("data:")) {
            return decodeData(url);
        }
        try (InputStream in = open(url)) {
            byte[] bytes = in.readNBytes(MAX_SMALL_BYTES + 1);
            if (bytes.length > MAX_SMALL_BYTES) {
                throw new ProgramException(Reason.REFUSED, "the program at " + shorten(url) + " is over "
                        + (MAX_SMALL_BYTES >> 20) + " MiB");
            }
            return bytes;
        } catch (IOException e) {
            throw new ProgramException(Reason.REFUSED, "cannot fetch the program from " + shorten(url) + ": " + e.getMessage());
        }
    }

    /** The body at {@code url}, bounded to {@link #MAX_PROGRAM_BYTES} + 1 so an endless one stops. */
    private static InputStream open(String url) throws IOException {
        if (url.startsWith("data:")) {
            return new java.io.ByteArrayInputStream(decodeData(url));
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ProgramException(Reason.REFUSED, "the program url " + shorten(url) + " is malformed");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new ProgramException(Reason.REFUSED, "the program url " + shorten(url) + " is neither http(s) nor data:");
        }
        try {
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new ProgramException(Reason.REFUSED,
                        "fetching the program from " + shorten(url) + " answered HTTP " + response.statusCode());
            }
            return new java.io.FilterInputStream(response.body()) {
                private long left = MAX_PROGRAM_BYTES + 1;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    left -= b >= 0 ? 1 : 0;
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(buffer, offset, (int) Math.min(length, left));
                    left -= Math.max(n, 0);
                    return n;
                }
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProgramException(Reason.REFUSED, "fetching the program was interrupted");
        }
    }

    private static byte[] decodeData(String url) {
        int comma = url.indexOf(',');
        if (comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
            throw new ProgramException(Reason.REFUSED, "a data: program url must be base64");
        }
        try {
            return Base64.getDecoder().decode(url.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw new ProgramException(Reason.REFUSED, "the data: program url is not valid base64");
        }
    }

    private static void checkDigest(String digest, String pinned, String url, String what) {
        if (!digest.equals(pinned)) {
            throw new ProgramException(Reason.REFUSED, what + " at " + shorten(url) + " has digest 0x"
                    + digest + ", but 0x" + pinned + " is pinned on-chain; refusing it");
        }
    }

    private static void gunzip(Path file, Path tar) throws IOException {
        Path partial = Files.createTempFile(tar.getParent(), tar.getFileName().toString(), ".partial");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            Archives.copy(in, partial, MAX_PACKAGE_BYTES, MAX_PACKAGE_BYTES);
        } catch (java.util.zip.ZipException e) {
            Files.deleteIfExists(partial);
            throw new Archives.Refused("it looks like gzip but is not valid gzip");
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, tar, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean isJson(Path file) {
        byte[] header = header(file);
        return header.length > 0 && header[0] == '{';
    }

    private static byte[] read(Path file) {
        try {
            if (Files.size(file) > MAX_SMALL_BYTES) {
                throw new ProgramException(Reason.REFUSED, "the program definition is over " + (MAX_SMALL_BYTES >> 20) + " MiB");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the program " + file, e);
        }
    }

    private static byte[] header(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(TAR_MAGIC_OFFSET + TAR_MAGIC.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the program " + file, e);
        }
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] magic) {
        return bytes.length >= offset + magic.length
                && Arrays.equals(bytes, offset, offset + magic.length, magic, 0, magic.length);
    }

    private static String normalise(String digest) {
        return digest.toLowerCase().replaceFirst("^0x", "");
    }

    private static String shorten(String url) {
        return url.length() <= 80 ? url : url.substring(0, 77) + "...";
    }
}
