package org.pgstaging.job;

import org.pgstaging.PgStagingException;

/** A person asked for something {@link JobPolicy} does not let them do; the message says why and whom to ask. */
public final class JobRefusedException extends PgStagingException {
    public JobRefusedException(String refusal) {
        super(refusal, null);
    }
}
