package org.pgstaging.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pgstaging.job.model.Change;
import org.pgstaging.job.store.ChangeLog;
import org.pgstaging.postgres.ServerLock;

/**
 * When a change waiting for its server may start: the holder's start plus the usual duration of
 * what it does, plus the usual durations of those waiting before. "Usual": the median of the last
 * completed changes of the same kind and section in the history. Unknown when the history has none.
 */
final class StartEstimate {
    private static final int SAMPLE = 20;

    private StartEstimate() {}

    static Optional<Instant> of(ChangeLog history, ServerLock.Holder holder, List<ServerLock.Holder> ahead) {
        Optional<Duration> running = usual(history, holder.what());
        if (running.isEmpty()) return Optional.empty();
        Instant at = holder.since().plus(running.get());
        for (ServerLock.Holder h : ahead) {
            Optional<Duration> d = usual(history, h.what());
            if (d.isEmpty()) return Optional.empty();
            at = at.plus(d.get());
        }
        Instant now = Instant.now();
        return Optional.of(at.isBefore(now) ? now : at);
    }

    /** The median duration of the last completed changes like {@code what} ({@code "kind section ..."}). */
    private static Optional<Duration> usual(ChangeLog history, String what) {
        String[] words = what.split(" ");
        if (words.length < 2) return Optional.empty();
        List<Duration> done = new ArrayList<>();
        try {
            for (Change c : history.read(words[1], null, SAMPLE * 3)) {
                if (c.kind().equals(words[0]) && c.outcome() == Change.Outcome.DONE && c.duration() != null) done.add(c.duration());
                if (done.size() == SAMPLE) break;
            }
        } catch (RuntimeException e) {
            return Optional.empty();   // an estimate is a nicety
        }
        if (done.isEmpty()) return Optional.empty();
        done.sort(null);
        return Optional.of(done.get(done.size() / 2));
    }
}
