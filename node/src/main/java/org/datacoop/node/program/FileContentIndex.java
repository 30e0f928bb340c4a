package org.datacoop.node.program;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A {@link ContentIndex} kept in one append-only file of {@code dlpId<TAB>contentHash<TAB>fileId}
 * lines, such as the node dir's {@code content-index.tsv}. Each new claim reaches the disk before
 * {@link #claim} returns; safe to share between threads, not between processes.
 */
public final class FileContentIndex implements ContentIndex {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    private record Key(long dlpId, String contentHash) {}

    private final Path file;
    private final Map<Key, Long> firstFiles = new HashMap<>();

    /** The index in {@code file}, created empty when absent; throws {@link UncheckedIOException} when it cannot be read or made. */
    public FileContentIndex(Path file) {
        this.file = file;
        try {
            if (Files.exists(file)) {
                load();
            } else {
                Files.createFile(file);
                // The new file's name must be as durable as the claims written into it.
                try (FileChannel directory = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
                    directory.force(true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the content index " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized long claim(long dlpId, String contentHash, long fileId) {
        String hash = contentHash.toLowerCase(Locale.ROOT);
        if (!HEX.matcher(hash).matches()) {
            throw new IllegalArgumentException("a content hash is hex, not '" + contentHash + "'");
        }
        Key key = new Key(dlpId, hash);
        Long first = firstFiles.get(key);
        if (first != null) {
            return first;
        }
        String line = dlpId + "\t" + hash + "\t" + fileId + "\n";
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the content index " + file + ": " + e.getMessage(), e);
        }
        firstFiles.put(key, fileId);
        return fileId;
    }

    private void load() throws IOException {
        byte[] content = Files.readAllBytes(file);
        int end = lastNewline(content) + 1;
        if (end < content.length) {
            // A line without its newline was cut short by a crash: drop it, or the next claim would extend it.
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(end);
                channel.force(true);
            }
        }
        List<String> lines = new String(content, 0, end, StandardCharsets.US_ASCII).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String[] fields = lines.get(i).split("\t", -1);
            try {
                if (fields.length != 3 || !HEX.matcher(fields[1]).matches()) {
                    throw new IllegalArgumentException("expected dlpId<TAB>contentHash<TAB>fileId");
                }
                firstFiles.putIfAbsent(new Key(Long.parseLong(fields[0]), fields[1]), Long.parseLong(fields[2]));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the content index " + file + " is corrupt at line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
    }

    private static int lastNewline(byte[] content) {
        for (int i = content.length - 1; i >= 0; i--) {
            if (content[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
