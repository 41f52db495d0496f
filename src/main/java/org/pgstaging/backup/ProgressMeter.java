package org.pgstaging.backup;

import java.util.concurrent.TimeUnit;

/**
 * Throttles {@link DownloadListener} calls: the first chunk is reported at once (so a face can show
 * the total early), then at most once per {@link #INTERVAL_NANOS}, and always once at the end.
 */
final class ProgressMeter {
    static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final DownloadListener listener;
    private final long total;
    private final long start;
    private long lastReport;
    private boolean reported;

    ProgressMeter(DownloadListener listener, long total) {
        this.listener = listener == null ? DownloadListener.NONE : listener;
        this.total = total;
        this.start = System.nanoTime();
    }

    void update(long bytes) {
        long now = System.nanoTime();
        if (!reported || now - lastReport >= INTERVAL_NANOS) report(bytes, now);
    }

    void finish(long bytes) {
        report(bytes, System.nanoTime());
    }

    private void report(long bytes, long now) {
        reported = true;
        lastReport = now;
        double seconds = Math.max(now - start, 1_000_000L) / 1e9;
        listener.progress(bytes, total, bytes / seconds);
    }
}
