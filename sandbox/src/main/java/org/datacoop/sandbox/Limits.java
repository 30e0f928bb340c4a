package org.datacoop.sandbox;

/**
 * What one sandboxed run may use.
 *
 * @param memoryBytes the address-space cap per process (RLIMIT_AS): virtual memory, so a runtime that
 *     reserves large ranges up front (a JVM without {@code -Xmx}) needs more than it uses
 * @param processes how many processes and threads the program may have at once (RLIMIT_NPROC)
 * @param openFiles open file descriptors per process (RLIMIT_NOFILE)
 * @param outputBytes what it may write to {@code /output} in all, and the largest single file anywhere
 *     (RLIMIT_FSIZE)
 * @param outputFiles how many files and directories it may leave in {@code /output}
 * @param tmpBytes the size of its private {@code /tmp} (a tmpfs: memory, gone with the run)
 */
public record Limits(long memoryBytes, int processes, int openFiles, long outputBytes, int outputFiles, long tmpBytes) {
    public static final Limits DEFAULT = new Limits(1L << 30, 64, 256, 256L << 20, 10_000, 64L << 20);

    public Limits {
        if (memoryBytes <= 0 || processes <= 0 || openFiles <= 0 || outputBytes <= 0 || outputFiles <= 0 || tmpBytes <= 0) {
            throw new IllegalArgumentException("sandbox limits must be positive");
        }
    }

    public Limits withMemoryBytes(long bytes) {
        return new Limits(bytes, processes, openFiles, outputBytes, outputFiles, tmpBytes);
    }

    public Limits withOutputBytes(long bytes) {
        return new Limits(memoryBytes, processes, openFiles, bytes, outputFiles, tmpBytes);
    }

    /** {@code bytes} in words: whole MiB or KiB where it divides evenly. */
    public static String describeBytes(long bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes % (1 << 10) == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }
}
