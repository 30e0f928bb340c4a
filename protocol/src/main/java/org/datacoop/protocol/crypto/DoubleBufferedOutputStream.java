package org.datacoop.protocol.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Future;

/**
 * Fills one of two 64 KiB buffers while a second thread finishes with the other: each full buffer
 * goes to {@link #process(byte[], int)}, and is filled again only once the work that returned is
 * done.
 */
abstract class DoubleBufferedOutputStream extends OutputStream {
    static final int CHUNK = 1 << 16;

    private final byte[][] buffers;
    private final Future<?>[] pending = new Future<?>[2];
    private int current;
    /** The buffer being filled, with room for {@code extra} bytes past a chunk, and how much of it is. */
    byte[] buffer;
    int buffered;

    DoubleBufferedOutputStream(int extra) {
        buffers = new byte[][] {new byte[CHUNK + extra], new byte[CHUNK + extra]};
        buffer = buffers[0];
    }

    /** Starts the work on {@code full}; what it returns must be done before {@code full} is filled again. */
    abstract Future<?> process(byte[] full, int length) throws IOException;

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            int n = Math.min(length, CHUNK - buffered);
            System.arraycopy(bytes, offset, buffer, buffered, n);
            buffered += n;
            offset += n;
            length -= n;
            if (buffered == CHUNK) {
                handOff();
            }
        }
    }

    /** Processes the buffer as it is and switches to the other. */
    final void handOff() throws IOException {
        pending[current] = process(buffer, buffered);
        current ^= 1;
        SecondThread.await(pending[current]);
        buffer = buffers[current];
        buffered = 0;
    }

    /** Waits until the work on both buffers is done. */
    final void awaitBoth() throws IOException {
        SecondThread.await(pending[0]);
        SecondThread.await(pending[1]);
    }
}
