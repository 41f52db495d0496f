package org.pgstaging.cli;

import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * Runs a command on its own thread so Ctrl-C can interrupt it: the engine then cleans up
 * (drops the half-made database, removes the partial dump) before the process ends.
 */
final class Worker {
    private volatile Thread current;

    /** Runs {@code task} on a new thread and waits for it; an unexpected throwable gives exit code 1. */
    int run(String name, IntSupplier task) {
        int[] code = {ExitCodes.FAILED};
        Thread t = new Thread(() -> code[0] = task.getAsInt(), name);
        current = t;
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                t.interrupt();
            }
        }
        current = null;
        if (interrupted) Thread.currentThread().interrupt();
        return code[0];
    }

    boolean busy() {
        Thread t = current;
        return t != null && t.isAlive();
    }

    void interrupt() {
        Thread t = current;
        if (t != null) t.interrupt();
    }

    /** Interrupts the task and gives it up to {@code timeout} to clean up; true when it finished. */
    boolean interruptAndWait(Duration timeout) {
        Thread t = current;
        if (t == null) return true;
        t.interrupt();
        try {
            t.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }
}
