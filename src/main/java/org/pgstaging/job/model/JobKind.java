package org.pgstaging.job.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.pgstaging.PgStagingException;

/** What a job does; stored in lower case, as users type it. */
public enum JobKind {
    RESTORE, DROP, PURGE, SWITCH, FETCH, VACUUMDB;

    /** The stored and displayed form, e.g. {@code restore}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobKind parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (JobKind k : values()) {
            if (k.code().equals(t)) return k;
        }
        throw new PgStagingException("unknown job kind '" + text + "'",
                "use one of " + Arrays.stream(values()).map(JobKind::code).collect(Collectors.joining(", ")));
    }
}
