package org.datacoop.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.datacoop.chain.ChainException;

/** Keeps a second {@code coop up} (or validator) off a data dir that one is already serving. */
final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirLock acquire(Path dataDir) {
        return acquire(dataDir, "`coop up`");
    }

    /** Locks {@code dataDir} for {@code holder}, named in the refusal a second one gets. */
    static DataDirLock acquire(Path dataDir, String holder) {
        Path lockFile = dataDir.resolve("coop.lock");
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new ChainException("another " + holder + " is already running on " + dataDir
                        + " (stop it first, or pass another --data-dir)");
            }
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            throw new ChainException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
