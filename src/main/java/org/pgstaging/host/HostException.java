package org.pgstaging.host;

import org.pgstaging.PgStagingException;

/** A command could not be started, was interrupted, or a file could not be read or replaced. */
public class HostException extends PgStagingException {
    public HostException(String message, String hint, Throwable cause) {
        super(message, hint, cause);
    }
}
