package org.pgstaging.slack;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.MDC;

/**
 * Runs work with the log context (SLF4J MDC) of whoever handed it over, so the messages of a job,
 * posted on the bot's workers, log with the job's id, server, section and user as the job's own
 * threads do.
 */
final class LogContextExecutor implements Executor {
    private final Executor executor;

    LogContextExecutor(Executor executor) {
        this.executor = executor;
    }

    @Override
    public void execute(Runnable work) {
        executor.execute(carrying(MDC.getCopyOfContextMap(), work));
    }

    /** {@code work}, run with {@code context} as its log context (null: none) and the thread's own put back after. */
    static Runnable carrying(Map<String, String> context, Runnable work) {
        if (context == null || context.isEmpty()) return work;
        return () -> within(context, () -> {
            work.run();
            return 0;
        });
    }

    /** Runs {@code work} now with {@code context} as its log context (null: none), the thread's own put back after. */
    static long within(Map<String, String> context, LongSupplier work) {
        if (context == null || context.isEmpty()) return work.getAsLong();
        Map<String, String> own = MDC.getCopyOfContextMap();
        MDC.setContextMap(context);
        try {
            return work.getAsLong();
        } finally {
            if (own == null) MDC.clear(); else MDC.setContextMap(own);
        }
    }
}
