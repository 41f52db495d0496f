package org.pgstaging.job;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    private final ChangeLog changes;
    private final long id;
    private final List<Change.StepTime> steps = new ArrayList<>();
    private String database;
    private Long dumpBytes;

    private ChangeRecording(ChangeLog changes, long id) {
        this.changes = changes;
        this.id = id;
    }

    /**
     * Starts recording, once the caller holds {@code server}'s lock: changes of that server still
     * shown running belong to processes that died, and are closed as such first. Null when the
     * history cannot be written (said in the log).
     */
    static ChangeRecording start(ChangeLog changes, String kind, String section, String date, String server, String by) {
        try {
            changes.died(server, "the process making it stopped before it ended (its server was free again)");
            return new ChangeRecording(changes, changes.started(kind, section, date, server, by, null));
        } catch (RuntimeException e) {
            log.warn("history not written for {} {}: {}", kind, section, e.getMessage());
            return null;
        }
    }

    /** The face's listener, seen through: what the history keeps of the change's events. */
    RestoreListener watching(RestoreListener face) {
        return e -> {
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
        try {
            List<Change.StepTime> timed;
            synchronized (steps) {
                timed = List.copyOf(steps);
            }
            changes.ended(id, outcome, db, error, hint, cleanup, dumpBytes, timed);
        } catch (RuntimeException e) {
            log.warn("history not written for change #{}: {}", id, e.getMessage());
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
