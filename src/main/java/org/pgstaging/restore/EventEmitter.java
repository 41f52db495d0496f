package org.pgstaging.restore;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Wraps a listener for one target database: times steps and turns them into events. A listener
 * that throws must not break a restore, so its exceptions are swallowed here.
 */
final class EventEmitter {
    private final String database;
    private final RestoreListener listener;

    EventEmitter(String database, RestoreListener listener) {
        this.database = database;
        this.listener = listener;
    }

    /** Synchronized: a streamed restore reports download bytes and pg_restore items from two threads. */
    synchronized void emit(RestoreEvent e) {
        try {
            listener.on(e);
        } catch (RuntimeException ignored) {
            // a face's rendering problem is not a restore failure
        }
    }

    void detail(Step step, String line) {
        emit(new RestoreEvent.Detail(database, step, line));
    }

    void progress(Step step, long done, long total, String unit, double rate) {
        emit(new RestoreEvent.StepProgress(database, step, done, total, unit, rate));
    }

    <T> T step(Step step, String detail, Supplier<T> body) {
        emit(new RestoreEvent.StepStarted(database, step, detail));
        long start = System.nanoTime();
        T result = body.get();
        emit(new RestoreEvent.StepFinished(database, step, Duration.ofNanos(System.nanoTime() - start), detail));
        return result;
    }

    void step(Step step, String detail, Runnable body) {
        step(step, detail, () -> {
            body.run();
            return null;
        });
    }

    String database() { return database; }
}
