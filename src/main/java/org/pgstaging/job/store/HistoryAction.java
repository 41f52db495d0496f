package org.pgstaging.job.store;

import java.util.Locale;
import org.pgstaging.PgStagingException;

/** Kinds of history entries; each decision or state change appends one. */
public enum HistoryAction {
    REQUEST, APPROVE, DENY, START, SWITCH, SWITCH_BACK, CANCEL, RETRY, INTERRUPTED, DONE, FAILED, DROP, PURGE;

    /** Stored form, e.g. {@code switch_back}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static HistoryAction parse(String code) {
        try {
            return valueOf(code.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new PgStagingException("unknown history action '" + code + "'",
                    "the state database may have been written by a newer pgstaging");
        }
    }
}
