package org.datacoop.node.enclave;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Zip and tar extraction into a workspace, bounded: no entry outside it, a cap on entries and on
 * bytes (a bomb stops there), and no links (a tar's link could point anywhere).
 */
public final class Archives {
    private Archives() {}

    /** Why an archive was not extracted, in words for the one who sent it. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /**
     * Extracts {@code zip} into {@code into}; throws {@link Refused} past a limit or for a malformed
     * archive. The byte limit is checked before each write, so a bomb never puts more than
     * {@code maxBytes} on disk.
     */
    public static void extract(Path zip, Path into, long maxBytes, int maxEntries) throws IOException {
        long budget = maxBytes;
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = target(into, entry.getName(), ++entries, maxEntries);
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                budget = copy(in, target, budget, maxBytes);
            }
        } catch (ZipException e) {
            throw new Refused("it looks like a zip archive but is not a valid one");
        }
    }

    /** Extracts the tar archive {@code tar} into {@code into}, keeping only its owner's execute bit; as bounded as {@link #extract}. */
    public static void extractTar(Path tar, Path into, long maxBytes, int maxEntries) throws IOException {
        long budget = maxBytes;
        int entries = 0;
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = target(into, entry.getName(), ++entries, maxEntries);
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                if (entry.isSymbolicLink() || entry.isLink() || entry.isCharacterDevice() || entry.isBlockDevice()
                        || entry.isFIFO() || !entry.isFile()) {
                    throw new Refused("the archive entry " + entry.getName() + " is a link or device, not a plain file");
                }
                Files.createDirectories(target.getParent());
                budget = copy(in, target, budget, maxBytes);
                if ((entry.getMode() & 0100) != 0) {
                    target.toFile().setExecutable(true, true);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new Refused("it looks like a tar archive but is not a valid one");
        }
    }

    /**
     * Copies {@code in} to {@code target} while {@code budget} bytes last, failing as soon as they do:
     * the limit is in the stream, so nothing past it is ever written.
     *
     * @return the budget left
     */
    public static long copy(InputStream in, Path target, long budget, long maxBytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                budget -= n;
                if (budget < 0) {
                    throw new Refused("the archive is too large: it expands past " + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
        return budget;
    }

    /** Where entry number {@code entries} named {@code name} goes: inside {@code into}, within the entry limit, or refused. */
    private static Path target(Path into, String name, int entries, int maxEntries) {
        if (entries > maxEntries) {
            throw new Refused("the archive holds over " + maxEntries + " entries");
        }
        Path target = into.resolve(name).normalize();
        if (!target.startsWith(into)) {
            throw new Refused("the archive entry " + name + " points outside its folder");
        }
        return target;
    }
}
