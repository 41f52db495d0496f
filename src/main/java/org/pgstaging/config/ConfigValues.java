package org.pgstaging.config;

import java.util.List;
import java.util.Locale;

/** Parsing of the value types pg_staging.ini uses: Python-style booleans, integers, comma lists. */
public final class ConfigValues {
    private ConfigValues() {}

    public static boolean parseBoolean(String section, String option, String v) {
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": case "1": return true;
            case "false": case "no": case "off": case "0": return false;
            default:
                throw new ConfigException("'" + v + "' is not a boolean", null, section, option, 0,
                        "use True or False");
        }
    }

    public static int parseInt(String section, String option, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("'" + v + "' is not an integer", null, section, option, 0,
                    "write a whole number, e.g. " + option + " = 2");
        }
    }

    public static List<String> parseList(String v) {
        return Section.splitList(v);
    }
}
