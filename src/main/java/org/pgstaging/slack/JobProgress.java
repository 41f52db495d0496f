package org.pgstaging.slack;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.Step;

/**
 * What a running job has done so far, folded from {@link RestoreEvent}s: finished steps with their
 * durations and the step under way with its latest figures. Immutable: each event gives a new one.
 */
public record JobProgress(List<Done> finished, Step current, long done, long total, String unit,
                          double rate, Instant lastEventAt) {

    public record Done(Step step, Duration elapsed) { }

    public static JobProgress start(Instant now) {
        return new JobProgress(List.of(), null, 0, -1, null, 0, now);
    }

    public JobProgress apply(RestoreEvent event, Instant now) {
        if (event instanceof RestoreEvent.StepStarted s) {
            return new JobProgress(finished, s.step(), 0, -1, null, 0, now);
        }
        if (event instanceof RestoreEvent.StepProgress p) {
            return new JobProgress(finished, p.step(), p.done(), p.total(), p.unit(), p.ratePerSecond(), now);
        }
        if (event instanceof RestoreEvent.StepFinished f) {
            List<Done> list = new ArrayList<>(finished);
            list.add(new Done(f.step(), f.elapsed()));
            return new JobProgress(List.copyOf(list), null, 0, -1, null, 0, now);
        }
        return new JobProgress(finished, current, done, total, unit, rate, now);
    }

    /** Seconds left at the current rate, or -1 when it cannot be told. */
    public long etaSeconds() {
        if (total <= 0 || rate <= 0 || done >= total) return -1;
        return (long) Math.ceil((total - done) / rate);
    }
}
