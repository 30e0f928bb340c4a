package org.datacoop.protocol.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Future;

/**
 * Writes to {@code out} on a second thread, 64 KiB at a time, while the caller fills the next
 * 64 KiB: writing a file costs the caller about a third of its time in either direction. A write's
 * failure surfaces on a later {@code write}, {@code flush} or {@code close}. Closing closes
 * {@code out}.
 */
final class WriteBehindOutputStream extends DoubleBufferedOutputStream {
    private final OutputStream out;
    private final SecondThread writer = new SecondThread("openpgp-write");
    private boolean closed;

    WriteBehindOutputStream(OutputStream out) {
        super(0);
        this.out = out;
    }

    @Override
    Future<?> process(byte[] full, int length) {
        return writer.submit(() -> out.write(full, 0, length));
    }

    /** Writes what is buffered and waits for every write. */
    @Override
    public void flush() throws IOException {
        handOff();
        awaitBoth();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (out; writer) {
            flush();
        }
    }
}
