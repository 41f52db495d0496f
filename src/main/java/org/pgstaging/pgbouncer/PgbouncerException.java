package org.pgstaging.pgbouncer;

import org.pgstaging.PgStagingException;

/** pgbouncer.ini could not be read or changed, or the pgbouncer console refused or could not be reached. */
public class PgbouncerException extends PgStagingException {
    public PgbouncerException(String message, String hint) {
        super(message, hint);
    }

    public PgbouncerException(String message, String hint, Throwable cause) {
        super(message, hint, cause);
    }
}
