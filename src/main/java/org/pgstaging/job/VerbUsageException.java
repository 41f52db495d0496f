package org.pgstaging.job;

import org.pgstaging.PgStagingException;

/** A command line that is not a verb with valid arguments: nothing was done; the hint shows the usage. */
public final class VerbUsageException extends PgStagingException {
    public VerbUsageException(String message, String hint) {
        super(message, hint);
    }
}
