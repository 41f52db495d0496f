package org.pgstaging.backup;

import org.pgstaging.PgStagingException;

/** A listing or download failed: not found, truncated, disk full, unreachable server. */
public class BackupException extends PgStagingException {
    public BackupException(String message, String hint) { super(message, hint); }
    public BackupException(String message, String hint, Throwable cause) { super(message, hint, cause); }
}
