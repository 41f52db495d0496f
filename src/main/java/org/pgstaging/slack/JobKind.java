package org.pgstaging.slack;

/** Long-running work the bot hands to the queue; each needs an approval before it runs. */
public enum JobKind {
    RESTORE("restore"), FETCH("fetch"), VACUUMDB("vacuumdb");

    private final String word;

    JobKind(String word) { this.word = word; }

    /** The slash command word that asks for it. */
    public String word() { return word; }
}
