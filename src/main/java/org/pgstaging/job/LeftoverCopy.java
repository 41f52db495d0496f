package org.pgstaging.job;

/**
 * What an interrupted restore left on its server, once looked at: {@code complete} when its copy
 * was finished (then kept, and made known to pgbouncer), else it was dropped or never made.
 */
public record LeftoverCopy(String said, boolean complete) {

    static LeftoverCopy complete(String said) {
        return new LeftoverCopy(said, true);
    }

    static LeftoverCopy dropped(String said) {
        return new LeftoverCopy(said, false);
    }
}
