package org.pgstaging.cli;

/** Process exit codes; documented in pgstaging(1) and in {@code pgstaging help}. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The engine tried and failed (a PgStagingException other than a configuration one). */
    public static final int FAILED = 1;
    /** Bad command, argument, date or section: nothing was done. */
    public static final int USAGE = 2;
    /** The configuration file is missing or wrong. */
    public static final int CONFIG = 3;
    /** --no-wait, and the database server was busy with another change: nothing was done. */
    public static final int BUSY = 4;
    /** Ctrl-C (SIGINT): 128 + 2, as shells report it. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}

    static String describe() {
        return "Exit codes: 0 ok, 1 operation failed, 2 usage error (command, argument, date or section),"
                + " 3 configuration error, 4 server busy (--no-wait), 130 interrupted.";
    }
}
