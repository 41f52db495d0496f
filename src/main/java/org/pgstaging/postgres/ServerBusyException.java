package org.pgstaging.postgres;

import org.pgstaging.PgStagingException;

/** Another operation holds the server and the caller asked not to wait (the console's {@code --no-wait}). */
public final class ServerBusyException extends PgStagingException {
    private final ServerLock.Holder holder;

    public ServerBusyException(String message, ServerLock.Holder holder) {
        super(message, "one change runs at a time per database server: try again when it is done"
                + " (without --no-wait, the console waits its turn)");
        this.holder = holder;
    }

    /** Who holds the server; null when it let go meanwhile. */
    public ServerLock.Holder holder() {
        return holder;
    }
}
