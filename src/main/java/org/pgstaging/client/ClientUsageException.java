package org.pgstaging.client;

import org.pgstaging.PgStagingException;

/** A sub-command or argument pgstaging-client refuses: nothing was done (exit status 2). */
final class ClientUsageException extends PgStagingException {
    ClientUsageException(String message, String hint) {
        super(message, hint);
    }
}
