package org.datacoop.compute;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * An output directory as one byte string: exactly what {@link ResultHash} hashes, so the SHA-256 of a
 * bundle is its result hash and a requester checks what it received without trusting the worker's
 * packaging. This is the output a worker encrypts to its requester, and the model an inference task
 * is given. Written by hand because no archive format is canonical (zip and tar carry times, modes
 * and an order of their own).
 */
public final class ResultBundle {
    private static final byte[] DOMAIN = "datacoop-output/v1\n".getBytes(StandardCharsets.UTF_8);
    private static final int MAX_PATH = 4096;

    private ResultBundle() {}

    /** {@code dir} as a bundle. */
    public static byte[] of(Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(dir, out);
        return out.toByteArray();
    }

    /** Writes {@code dir} as a bundle to {@code out}. */
    public static void write(Path dir, OutputStream out) {
        write(dir, ResultHash.files(dir), out);
    }

    /** Writes {@code files} of {@code dir} (in {@link ResultHash#files} order) as a bundle to {@code out}. */
    static void write(Path dir, List<String> files, OutputStream out) {
        try {
            out.write(DOMAIN);
            for (String path : files) {
                byte[] name = path.getBytes(StandardCharsets.UTF_8);
                Path file = dir.resolve(path);
                out.write(ByteBuffer.allocate(Integer.BYTES).putInt(name.length).array());
                out.write(name);
                out.write(ByteBuffer.allocate(Long.BYTES).putLong(Files.size(file)).array());
                try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                    in.transferTo(out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bundle the output " + dir, e);
        }
    }

    /**
     * Writes the files of {@code bundle} into {@code dir} (created if missing, must be empty), at most
     * {@code maxBytes} of content. Refuses, naming it, a bundle that is not one: a wrong header, a path
     * that leaves the directory or comes out of order, a truncated file.
     */
    public static void unpack(byte[] bundle, Path dir, long maxBytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bundle))) {
            byte[] header = in.readNBytes(DOMAIN.length);
            if (!Arrays.equals(header, DOMAIN)) {
                throw invalid("it does not start with the datacoop-output/v1 header");
            }
            Files.createDirectories(dir);
            Path root = dir.toAbsolutePath().normalize();
            byte[] previous = null;
            long total = 0;
            while (in.available() > 0) {
                int nameLength = in.readInt();
                if (nameLength <= 0 || nameLength > MAX_PATH) {
                    throw invalid("a path is " + nameLength + " bytes long");
                }
                byte[] name = in.readNBytes(nameLength);
                if (previous != null && Arrays.compareUnsigned(previous, name) >= 0) {
                    throw invalid("its paths are not in order, or one comes twice");
                }
                previous = name;
                String path = new String(name, StandardCharsets.UTF_8);
                Path target = root.resolve(path).normalize();
                if (!target.startsWith(root) || target.equals(root) || path.contains("\\") || path.startsWith("/")) {
                    throw invalid("the path " + path + " leaves the output directory");
                }
                long size = in.readLong();
                total += size;
                if (size < 0 || total > maxBytes) {
                    throw invalid("its files hold more than " + maxBytes + " bytes");
                }
                if (size > in.available()) {
                    throw invalid("the file " + path + " is cut short");
                }
                Files.createDirectories(target.getParent());
                Files.write(target, in.readNBytes((int) size));
            }
        } catch (EOFException e) {
            throw invalid("it is cut short");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack an output into " + dir, e);
        }
    }

    private static ComputeException invalid(String why) {
        return new ComputeException(ComputeException.Reason.INVALID_MODEL, "the output bundle is malformed: " + why);
    }
}
