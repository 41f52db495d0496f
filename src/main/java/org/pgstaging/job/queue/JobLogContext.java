package org.pgstaging.job.queue;

import java.util.Map;
import org.pgstaging.job.store.Job;
import org.slf4j.MDC;

/**
 * Names a job in the log context (SLF4J MDC) of the thread working for it, so every line logged
 * meanwhile says which job, server, section and Slack user it is about; closing puts back what the
 * thread had before.
 */
public final class JobLogContext implements AutoCloseable {
    public static final String JOB_ID = "job_id";
    public static final String SERVER = "server";
    public static final String SECTION = "section";
    public static final String USER = "user";

    private final Map<String, String> before;

    private JobLogContext(Job job) {
        before = MDC.getCopyOfContextMap();
        MDC.put(JOB_ID, Long.toString(job.id()));
        MDC.put(SERVER, job.serverKey());
        MDC.put(SECTION, job.section());
        MDC.put(USER, job.requestedBy());
    }

    public static JobLogContext of(Job job) {
        return new JobLogContext(job);
    }

    @Override
    public void close() {
        if (before == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(before);
        }
    }
}
