package org.pgstaging.job.store;

import java.time.Duration;
import java.util.Optional;

/**
 * The right to run the jobs of one database server, held by one bot process at a time however many
 * share the state: whoever holds a server's slot claims its next job, and a job found RUNNING on a
 * server whose slot one could take was left by a process that died. On PostgreSQL a slot is a
 * session-level advisory lock, so it ends with its session when a replica dies (SIGKILL, node
 * loss); on H2 one process owns the files, so every slot is free to it.
 */
public interface ServerSlots extends AutoCloseable {

    /** The slot of {@code serverKey}, or empty while another process holds it. */
    Optional<Slot> tryTake(String serverKey);

    /**
     * Ends the session that holds the slot of {@code serverKey} when the job it runs has not shown a
     * heartbeat for {@code silentFor} (a replica cut off from the state database, or hung), so the
     * next {@link #tryTake} may succeed; false when there was nothing to end.
     */
    boolean breakStale(String serverKey, Duration silentFor);

    @Override
    void close();

    /** A held slot; closing it gives it back. */
    interface Slot extends AutoCloseable {
        /**
         * Says that {@code owner} still runs {@code jobId}, through the slot's own session: a
         * {@link JobStoreException} when that session has ended (the slot is lost: another replica
         * may take the server now) or the state database cannot be reached.
         */
        Heartbeat beat(long jobId, String owner);

        @Override
        void close();
    }
}
