package org.datacoop.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WriteBehindOutputStreamTest {
    @Test
    void writesEverythingInOrderAndClosesTheTarget() throws Exception {
        byte[] data = new byte[300_001];
        new Random(3).nextBytes(data);
        Target target = new Target(Long.MAX_VALUE);
        try (OutputStream out = new WriteBehindOutputStream(target)) {
            out.write(data[0]);
            for (int offset = 1, piece = 1; offset < data.length; offset += piece, piece = piece * 3 + 1) {
                out.write(data, offset, Math.min(piece, data.length - offset));
            }
        }
        assertThat(target.toByteArray()).isEqualTo(data);
        assertThat(target.closed).isTrue();
    }

    /** A full disk: the failure comes from the writing thread, on a later call, and the target is still closed. */
    @Test
    void aFailedWriteSurfacesAndTheTargetIsClosed() {
        Target target = new Target(100_000);
        assertThatThrownBy(() -> {
                    try (OutputStream out = new WriteBehindOutputStream(target)) {
                        for (int i = 0; i < 10; i++) {
                            out.write(new byte[50_000]);
                        }
                    }
                })
                .isInstanceOf(IOException.class)
                .hasMessage("No space left on device");
        assertThat(target.size()).isLessThanOrEqualTo(100_000);
        assertThat(target.closed).isTrue();
    }

    /** Collects what is written, with room for {@code room} bytes. */
    private static final class Target extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final long room;
        private boolean closed;

        Target(long room) {
            this.room = room;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            if (bytes.size() + length > room) {
                throw new IOException("No space left on device");
            }
            bytes.write(data, offset, length);
        }

        @Override
        public void close() {
            closed = true;
        }

        int size() {
            return bytes.size();
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
