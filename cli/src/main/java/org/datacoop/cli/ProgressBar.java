package org.datacoop.cli;

import java.io.PrintWriter;
import org.datacoop.sdk.contribute.Progress;

/** Steps as lines on stderr, and a bar for steps over a few megabytes (redrawn in place, at most each percent). */
final class ProgressBar implements Progress {
    private static final long BAR_FROM_BYTES = 4L << 20;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private int lastPercent = -1;

    ProgressBar(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void step(String description) {
        finishBar();
        err.println(description + " ...");
        err.flush();
    }

    @Override
    public void bytes(long done, long total) {
        if (total < BAR_FROM_BYTES) {
            return;
        }
        int percent = (int) (100 * done / total);
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        int filled = WIDTH * percent / 100;
        err.print("\r  [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "% of "
                + (total >> 20) + " MiB");
        err.flush();
        if (percent == 100) {
            finishBar();
        }
    }

    private void finishBar() {
        if (lastPercent >= 0) {
            err.println();
            lastPercent = -1;
        }
    }
}
