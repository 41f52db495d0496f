package org.pgstaging.backup;

import java.util.ArrayList;
import java.util.List;

/** Records every progress call, and can run an action on the first one (to interrupt or fill the disk). */
final class ProgressRecorder implements DownloadListener {
    record Call(long bytes, long total, double rate) { }

    final List<Call> calls = new ArrayList<>();
    private final Runnable onFirst;

    ProgressRecorder() { this(() -> { }); }

    ProgressRecorder(Runnable onFirst) { this.onFirst = onFirst; }

    @Override
    public void progress(long bytes, long totalBytes, double bytesPerSecond) {
        calls.add(new Call(bytes, totalBytes, bytesPerSecond));
        if (calls.size() == 1) onFirst.run();
    }

    Call last() { return calls.get(calls.size() - 1); }
}
