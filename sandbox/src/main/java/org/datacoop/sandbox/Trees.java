package org.datacoop.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;

/** Directory trees a sandboxed run wrote: wiped whole, and measured while it writes. */
public final class Trees {
    private Trees() {}

    /**
     * Deletes {@code dir} and everything under it; a missing dir is fine. A directory a program made
     * read-only is given back to its owner first, so it cannot keep plaintext from being wiped.
     */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) throws IOException {
                    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException error) throws IOException {
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe " + dir, e);
        }
    }

    /** What a tree holds: the bytes of its regular files, and its files and directories below the top. */
    public record Usage(long bytes, long entries) {}

    /**
     * What {@code dir} holds now, links not followed; empty when it cannot be walked at this moment
     * (a file moved while counting), for the caller to look again.
     */
    public static Optional<Usage> usage(Path dir) {
        long bytes = 0;
        long entries = -1;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                entries++;
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attributes.isRegularFile()) {
                    bytes += attributes.size();
                }
            }
            return Optional.of(new Usage(bytes, entries));
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }
}
