package org.pgstaging.job.queue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.pgstaging.job.store.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers queue events to listeners on one thread, so they arrive in commit order and never block the queue. */
final class EventThread {
    private static final Logger LOG = LoggerFactory.getLogger(EventThread.class);

    private final List<QueueListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pgstaging-queue-events");
        t.setDaemon(true);
        return t;
    });

    void add(QueueListener listener) {
        listeners.add(listener);
    }

    void changed(JobEvent event) {
        deliver(l -> l.jobChanged(event), event.job());
    }

    void progress(Job job, String text) {
        deliver(l -> l.progress(job, text), job);
    }

    void storeMoved() {
        try {
            thread.execute(() -> {
                for (QueueListener l : listeners) {
                    try {
                        l.storeMoved();
                    } catch (RuntimeException e) {
                        LOG.warn("queue listener {} failed on a store change", l, e);
                    }
                }
            });
        } catch (RejectedExecutionException closed) {
            LOG.debug("queue closed: store change not delivered");
        }
    }

    private void deliver(Consumer<QueueListener> call, Job job) {
        try {
            thread.execute(() -> {
                try (JobLogContext named = JobLogContext.of(job)) {
                    for (QueueListener l : listeners) {
                        try {
                            call.accept(l);
                        } catch (RuntimeException e) {
                            LOG.warn("queue listener {} failed on job #{}", l, job.id(), e);
                        }
                    }
                }
            });
        } catch (RejectedExecutionException closed) {
            LOG.debug("queue closed: event of job #{} not delivered", job.id());
        }
    }

    /** Delivers what is pending, then stops. */
    void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("queue listeners still busy after 10 s; dropping the remaining events");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
