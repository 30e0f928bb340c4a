package org.datacoop.sandbox;

import java.nio.file.Path;

/** What a sandboxed program sees as its root file system, always read-only. */
public sealed interface Root {
    /**
     * A minimal view of this machine's runtime: {@code /usr} and what the loader needs ({@code /bin},
     * {@code /lib}, {@code /lib64}, {@code /sbin}, {@code /etc/ld.so.cache}, {@code /etc/alternatives}),
     * never the rest of {@code /etc}, homes, {@code /var}, {@code /root} or the node's data.
     */
    record Host() implements Root {}

    /** An image's unpacked root file system. */
    record Image(Path rootfs) implements Root {
        public Image {
            rootfs = rootfs.toAbsolutePath().normalize();
        }
    }

    Root HOST = new Host();
}
