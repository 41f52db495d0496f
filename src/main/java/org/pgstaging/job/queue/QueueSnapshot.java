package org.pgstaging.job.queue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.pgstaging.job.store.Job;

/**
 * The queues at one moment, read in one transaction: per server what runs and what waits
 * (in run order), and the requests awaiting approval (oldest first).
 */
public record QueueSnapshot(Instant at, List<ServerQueue> servers, List<Job> awaitingApproval) {

    public record ServerQueue(String serverKey, Optional<Job> running, List<Job> queued) {
        /** 1-based place of a queued job, empty when it is not queued here. */
        public OptionalInt position(long jobId) {
            for (int i = 0; i < queued.size(); i++) {
                if (queued.get(i).id() == jobId) return OptionalInt.of(i + 1);
            }
            return OptionalInt.empty();
        }
    }

    public Optional<ServerQueue> server(String serverKey) {
        return servers.stream().filter(s -> s.serverKey().equals(serverKey)).findFirst();
    }

    public boolean isEmpty() {
        return servers.isEmpty() && awaitingApproval.isEmpty();
    }
}
