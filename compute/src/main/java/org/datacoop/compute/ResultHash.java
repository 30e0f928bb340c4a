package org.datacoop.compute;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.datacoop.protocol.Sha256;

/**
 * The canonical hash of an output directory, what a worker signs as {@code resultHash} and what a
 * re-execution must reproduce:
 *
 * <pre>
 * resultHash = SHA-256( "datacoop-output/v1\n"
 *                       || for each regular file under the directory, in order of its path:
 *                          u32be(len(path)) || path || u64be(len(content)) || content )
 * </pre>
 *
 * where {@code path} is the file's path relative to the directory, {@code /}-separated, in UTF-8,
 * and paths are ordered by their UTF-8 bytes compared unsigned, shortest first on a common prefix.
 * Directories count only through the files in them (an empty one adds nothing); a link or any other
 * kind of file is refused, as nothing outside the directory may count.
 */
public final class ResultHash {

    private ResultHash() {}

    /** The output's files, relative and {@code /}-separated, in hashing order. */
    public static List<String> files(Path dir) {
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) walk::iterator) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attributes.isDirectory()) {
                    continue;
                }
                String path = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                if (!attributes.isRegularFile()) {
                    throw new ComputeException(ComputeException.Reason.ALGORITHM_FAILED,
                            "the output holds " + path + ", which is not a regular file (a link or a device)");
                }
                files.add(path);
            }
        } catch (IOException e) {
            throw new ComputeException(ComputeException.Reason.UNAVAILABLE, "cannot read the output " + dir + ": " + e.getMessage(), e);
        }
        files.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        return List.copyOf(files);
    }

    /** The result hash of {@code dir}, 32 bytes. */
    public static byte[] of(Path dir) {
        return of(dir, files(dir));
    }

    /** The bytes hashed are exactly a {@link ResultBundle}'s: one definition of the format. */
    static byte[] of(Path dir, List<String> files) {
        MessageDigest digest = Sha256.digest();
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            ResultBundle.write(dir, files, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash the output " + dir, e);
        }
        return digest.digest();
    }
}
