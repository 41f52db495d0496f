package org.pgstaging.restore;

/**
 * The steps of a restore, in the order they run. Each one reports start, progress and end events.
 * {@link #WAITING} comes first for any change of a server that another operation holds.
 */
public enum Step {
    WAITING("waiting for the server"),
    CREATE_DATABASE("creating database"),
    DOWNLOAD("downloading"),
    CATALOG("filtering catalog"),
    PRE_SQL("pre SQL"),
    PG_RESTORE("restoring"),
    SEARCH_PATH("setting search_path"),
    VACUUM("vacuum analyze"),
    POST_SQL("post SQL"),
    PGBOUNCER_ADD("adding to pgbouncer"),
    SWITCH("switching pgbouncer"),
    REMOVE_DUMP("removing dump"),
    CLEANUP("cleaning up");

    private final String label;

    Step(String label) { this.label = label; }

    /** Short words for progress lines and chat messages. */
    public String label() { return label; }
}
