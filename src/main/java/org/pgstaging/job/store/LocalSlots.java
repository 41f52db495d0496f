package org.pgstaging.job.store;

import java.time.Duration;
import java.util.Optional;

/**
 * Slots of the embedded store: H2 locks its files to one process, and that process runs one worker
 * per server, so a slot is always free to take.
 */
final class LocalSlots implements ServerSlots {
    private final JobStore store;
    private final Slot held;

    LocalSlots(JobStore store) {
        this.store = store;
        this.held = new Slot() {
            @Override
            public Heartbeat beat(long jobId, String owner) {
                return LocalSlots.this.store.heartbeat(jobId, owner);
            }

            @Override
            public void close() {
                // nothing is held outside this process
            }
        };
    }

    @Override
    public Optional<Slot> tryTake(String serverKey) {
        return Optional.of(held);
    }

    @Override
    public boolean breakStale(String serverKey, Duration silentFor) {
        return false;
    }

    @Override
    public void close() {
        // nothing to give back
    }
}
