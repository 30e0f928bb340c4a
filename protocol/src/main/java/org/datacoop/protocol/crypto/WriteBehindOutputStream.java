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
final class WriteBehindOutputStream extends OutputStream {
    private static final int CHUNK = 1 << 16;

    private final OutputStream out;
    private final SecondThread writer = new SecondThread("openpgp-write");
    private final byte[][] buffers = {new byte[CHUNK], new byte[CHUNK]};
    private final Future<?>[] writing = new Future<?>[2];
    private int current;
    private int buffered;
    private boolean closed;

    WriteBehindOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            int n = Math.min(length, CHUNK - buffered);
            System.arraycopy(bytes, offset, buffers[current], buffered, n);
            buffered += n;
            offset += n;
            length -= n;
            if (buffered == CHUNK) {
                handOff();
            }
        }
    }

    /** Writes what is buffered and waits for every write. */
    @Override
    public void flush() throws IOException {
        handOff();
        SecondThread.await(writing[0]);
        SecondThread.await(writing[1]);
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

    private void handOff() throws IOException {
        byte[] full = buffers[current];
        int n = buffered;
        writing[current] = writer.submit(() -> out.write(full, 0, n));
        current ^= 1;
        SecondThread.await(writing[current]);
        buffered = 0;
    }
}
