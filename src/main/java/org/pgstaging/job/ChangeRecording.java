package org.pgstaging.job;

import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.pgstaging.PgStagingException;
import org.pgstaging.job.model.Change;
import org.pgstaging.job.store.ChangeLog;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.RestoreFailedException;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.restore.Step;

/**
 * One change as the history records it, from the moment it holds its server to its end: the
 * steps' timings, the dump's size and the database come from the events it emits on their way to
 * the face. The history is an audit, not the change: failing to write it is logged, never fatal.
 */
final class ChangeRecording {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ChangeRecording.class);

    /** How long the end of a change waits for its start to be written, when the history is slow to open. */
    private static final long START_WAIT_SECONDS = 60;

    /** The history and the change's id in it, once written; null when it could not be (said in the log). */
    private final CompletableFuture<Started> started;
    private final List<Change.StepTime> steps = new ArrayList<>();
    private volatile String database;
    private volatile Long dumpBytes;

    private record Started(ChangeLog changes, long id) { }

    private ChangeRecording(CompletableFuture<Started> started) {
        this.started = started;
    }

    /** Steps that change nothing: a change may go through them before its start is written. */
    private static final java.util.Set<Step> READ_ONLY = java.util.EnumSet.of(Step.WAITING, Step.CATALOG);
    private volatile boolean startAwaited;

    /**
     * Starts recording, once the caller holds {@code server}'s lock, without waiting for the history
     * to open: on a console its first use costs a cold process about half a second, which a restore
     * spends on its listing, checks and catalog instead. Its start is written before its first step
     * that changes anything ({@link #watching}), so a change killed midway is in the history, shown
     * as died. When the history is open, changes of that server still shown running (they belong to
     * processes that died) are closed as such, then this one is written with the time it really started.
     */
    static ChangeRecording start(CompletableFuture<ChangeLog> history, String kind, String section, String date,
                                 String server, String by) {
        Instant at = Instant.now();
        return new ChangeRecording(history.handle((changes, failed) -> {
            if (changes == null) {
                Throwable why = failed instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : failed;
                log.warn("history not written for {} {}: {}", kind, section, why == null ? "no history" : why.getMessage());
                return null;
            }
            try {
                changes.died(server, "the process making it stopped before it ended (its server was free again)");
                return new Started(changes, changes.started(kind, section, date, server, by, null, at));
            } catch (RuntimeException e) {
                log.warn("history not written for {} {}: {}", kind, section, e.getMessage());
                return null;
            }
        }));
    }

    /** Waits (a bounded time) until the change's start is in the history, or cannot be. */
    void awaitStart() {
        startedOrNull();
        startAwaited = true;
    }

    /** The face's listener, seen through: what the history keeps of the change's events. */
    RestoreListener watching(RestoreListener face) {
        return e -> {
            if (!startAwaited && e instanceof RestoreEvent.StepStarted st && !READ_ONLY.contains(st.step())) {
                awaitStart();
            }
            if (e instanceof RestoreEvent.StepFinished f && f.step() != Step.WAITING) {
                synchronized (steps) {
                    steps.add(new Change.StepTime(f.step().name(), f.elapsed().toMillis()));
                }
            } else if (e instanceof RestoreEvent.StepStarted s && s.step() == Step.CREATE_DATABASE) {
                database = s.database();
            } else if (e instanceof RestoreEvent.StepProgress p && p.step() == Step.DOWNLOAD && p.total() > 0) {
                dumpBytes = p.total();
            }
            face.on(e);
        };
    }

    void done(Object result) {
        end(Change.Outcome.DONE, subject(result), null, null, null);
    }

    void failed(Throwable t, boolean cancelled) {
        String message = t.getMessage() == null ? t.toString() : t.getMessage();
        String hint = t instanceof PgStagingException p ? p.hint() : null;
        String cleanup = t instanceof RestoreFailedException r ? r.cleanup() : null;
        end(cancelled ? Change.Outcome.CANCELLED : Change.Outcome.FAILED, database, message, hint, cleanup);
    }

    private void end(Change.Outcome outcome, String db, String error, String hint, String cleanup) {
        Started s = startedOrNull();
        if (s == null) return;
        try {
            List<Change.StepTime> timed;
            synchronized (steps) {
                timed = List.copyOf(steps);
            }
            s.changes().ended(s.id(), outcome, db, error, hint, cleanup, dumpBytes, timed);
        } catch (RuntimeException e) {
            log.warn("history not written for change #{}: {}", s.id(), e.getMessage());
        }
    }

    /** The written start, waited for a bounded time (uninterruptibly: a cancelled change still records its end). */
    private Started startedOrNull() {
        boolean interrupted = false;
        try {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(START_WAIT_SECONDS);
            while (true) {
                try {
                    return started.get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    return null;
                } catch (java.util.concurrent.TimeoutException e) {
                    log.warn("history not written: it did not open within {} s", START_WAIT_SECONDS);
                    return null;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** What a change made or touched, from its result: a copy, copies, a file. */
    private String subject(Object result) {
        if (result instanceof RestoreResult r) return r.database();
        if (result instanceof String s) return s;
        if (result instanceof Path p) return p.getFileName().toString();
        if (result instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String) {
            return String.join(", ", l.stream().map(Object::toString).toList());
        }
        return database;
    }
}
