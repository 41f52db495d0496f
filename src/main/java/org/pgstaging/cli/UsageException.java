package org.pgstaging.cli;

import org.pgstaging.PgStagingException;

/** The user typed something the command line cannot accept; maps to exit code 2, nothing was done. */
public class UsageException extends PgStagingException {
    public UsageException(String message, String hint) {
        super(message, hint);
    }
}
