package org.datacoop.sdk.contribute;

/** What a long contribution is doing; the CLI draws it as lines and a bar. */
public interface Progress {
    /** A step began, in words. */
    void step(String description);

    /** {@code done} of {@code total} bytes of the current step are through. */
    void bytes(long done, long total);

    Progress SILENT = new Progress() {
        @Override
        public void step(String description) {}

        @Override
        public void bytes(long done, long total) {}
    };
}
