package org.pgstaging.backup;

/** Receives download progress; called at most a few times a second. */
@FunctionalInterface
public interface DownloadListener {
    /**
     * @param bytes       bytes received so far
     * @param totalBytes  expected total, or -1 when unknown
     * @param bytesPerSecond average rate since the start
     */
    void progress(long bytes, long totalBytes, double bytesPerSecond);

    DownloadListener NONE = (b, t, r) -> { };
}
