package org.pgstaging.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.pgstaging.job.Verb;

/** Descriptions of the arguments of the verbs, so `help COMMAND` explains them the same way. */
final class ParamHelp {
    static final String SECTION = "A section of the configuration file, e.g. foodb.dev (see `pgstaging databases`).";
    static final String DATE = "YYYY-MM-DD, YYYYMMDD, today, latest or oldest; the default is in the description above.";

    private ParamHelp() { }

    /** One line per argument of {@code verb}: {@code DATE: YYYY-MM-DD, ...}. */
    static String[] of(Verb verb) {
        List<String> lines = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Verb.Param p : verb.params()) {
            if (seen.add(p.label())) lines.add(p.label() + ": " + describe(p));
        }
        return lines.toArray(String[]::new);
    }

    private static String describe(Verb.Param p) {
        if (!p.choices().isEmpty()) return "one of " + String.join(", ", p.choices()) + ".";
        return switch (p.kind()) {
            case SECTION -> SECTION + (p.rest() ? " Several may be given." : "");
            case DATE -> DATE;
            case COUNT -> "How many, from 1 to " + Verb.MAX_COUNT + ".";
            case DUMP -> "The backup of a DATE, or a dump file on this machine.";
            case SETTING -> "A PostgreSQL setting name, e.g. work_mem.";
            case TEXT -> "A path on this machine.";
        };
    }
}
