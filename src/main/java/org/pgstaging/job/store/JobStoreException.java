package org.pgstaging.job.store;

import org.pgstaging.PgStagingException;

/** The state database could not be opened, read or written, or a job does not exist. */
public class JobStoreException extends PgStagingException {
    public JobStoreException(String message, String hint) {
        super(message, hint);
    }

    public JobStoreException(String message, String hint, Throwable cause) {
        super(message, hint, cause);
    }

    static JobStoreException unknownJob(long jobId) {
        return new JobStoreException("no job #" + jobId, "check the job number in the queue listing or the history");
    }
}
