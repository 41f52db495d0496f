package org.pgstaging.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * SIGTERM for a long-running command (the bot): instead of the JVM's default (run the shutdown hooks,
 * then exit 143 whatever they did), the signal only wakes {@link #await()}, so the command stops in
 * its own order and the process exits with the command's status. The JDK offers no supported API
 * for this; {@code sun.misc.Signal} (module jdk.unsupported) is what it provides.
 */
final class StopSignal {
    private final CountDownLatch received = new CountDownLatch(1);
    private volatile String name;

    /** Handles SIGTERM from now on, for the rest of the process. */
    static StopSignal onTerm() {
        StopSignal stop = new StopSignal();
        Signal.handle(new Signal("TERM"), s -> {
            stop.name = "SIG" + s.getName();
            stop.received.countDown();
        });
        return stop;
    }

    /** Waits for the signal; an interrupt (Ctrl-C through the shutdown hook) ends the wait too. */
    void await() throws InterruptedException {
        received.await();
    }

    /** {@code SIGTERM} once received, else null. */
    String received() {
        return name;
    }
}
