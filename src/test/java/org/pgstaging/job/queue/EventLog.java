package org.pgstaging.job.queue;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.model.JobState;

/** Records queue events and lets a test wait for one (the timeout is a safety net, not an assertion on time). */
final class EventLog implements QueueListener {
    private static final long SAFETY_NET_SECONDS = 20;
    private final List<JobEvent> events = new ArrayList<>();
    private final List<String> progress = new ArrayList<>();

    @Override
    public synchronized void jobChanged(JobEvent event) {
        events.add(event);
        notifyAll();
    }

    @Override
    public synchronized void progress(Job job, String text) {
        progress.add(job.id() + ":" + text);
        notifyAll();
    }

    synchronized JobEvent await(Predicate<JobEvent> what, String description) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAFETY_NET_SECONDS);
        while (true) {
            for (JobEvent e : events) {
                if (what.test(e)) return e;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) fail("never saw " + description + "; events: " + events);
            wait(left);
        }
    }

    JobEvent awaitState(long jobId, JobState state) throws InterruptedException {
        return await(e -> e.job().id() == jobId && e.job().state() == state, "job #" + jobId + " " + state);
    }

    synchronized List<JobEvent> events() {
        return List.copyOf(events);
    }

    synchronized List<String> progress() {
        return List.copyOf(progress);
    }
}
