package org.pgstaging.pgbouncer;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What {@link Pgbouncer#service} may ask of the pgbouncer system service. */
public enum ServiceAction {
    START, STOP, RESTART, RELOAD, STATUS;

    /** The systemctl verb. */
    public String verb() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ServiceAction parse(String action) {
        for (ServiceAction a : values()) {
            if (a.verb().equalsIgnoreCase(action == null ? "" : action.strip())) {
                return a;
            }
        }
        throw new PgbouncerException("Unknown pgbouncer service action '" + action + "'",
                "use one of " + Arrays.stream(values()).map(ServiceAction::verb).collect(Collectors.joining(", ")));
    }
}
