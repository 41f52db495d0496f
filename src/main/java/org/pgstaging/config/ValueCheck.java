package org.pgstaging.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks one resolved value against its option's type. Returns the problem as text (message and
 * hint) rather than throwing, so the loader can collect every problem of a file.
 */
final class ValueCheck {
    private ValueCheck() {}

    /** PostgreSQL truncates identifiers to 63 bytes; dated copies append {@code _YYYYMMDD} (9 bytes). */
    static final int MAX_DBNAME_BYTES = 63 - "_YYYYMMDD".length();
    static final int MAX_IDENTIFIER_BYTES = 63;

    /** Letters, digits, _ and -: the name also appears in dump file names, pgbouncer.ini and shell commands. */
    private static final Pattern DBNAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final Pattern MAJOR = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern ENCODING = Pattern.compile("[A-Za-z0-9_-]+");
    /** A name, an IPv4 or IPv6 address (bracketed or not): never a leading '-', which ssh would read as an option. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_\\[:][A-Za-z0-9_.:%\\[\\]-]*");
    private static final Pattern SSH_USER = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.@-]*\\$?");

    record Issue(String message, String hint) {}

    /** The problem with {@code value} (not blank) for {@code spec}, or null when it is fine. */
    static Issue check(OptionSpec spec, String value) {
        String v = value.strip();
        String name = spec.name();
        switch (spec.type()) {
            case PORT:
                return integer(spec, v, 1, 65535, "a TCP port between 1 and 65535");
            case POSITIVE_INT:
                return integer(spec, v, 1, Integer.MAX_VALUE, "a whole number of at least 1");
            case BOOLEAN:
                try {
                    ConfigValues.parseBoolean(null, name, v);
                    return null;
                } catch (ConfigException e) {
                    return new Issue("'" + v + "' is not a boolean", "write True or False (also yes/no, on/off, 1/0)");
                }
            case REGEXP_LIST:
                for (String re : ConfigValues.parseList(v)) {
                    try {
                        Pattern.compile(re);
                    } catch (PatternSyntaxException e) {
                        return new Issue("invalid regular expression '" + re + "': " + e.getDescription()
                                + " near index " + e.getIndex(),
                                "fix the regexp (Java syntax); a comma separates two regexps, write \\x2c for a literal comma");
                    }
                }
                return null;
            case DBNAME:
                return dbname(v);
            case IDENTIFIER:
                return identifier(name, v);
            case MAJOR:
                return MAJOR.matcher(v).matches() ? null
                        : new Issue("'" + v + "' is not a PostgreSQL major version", "write e.g. 15 or 9.6");
            case ENCODING:
                return ENCODING.matcher(v).matches() ? null
                        : new Issue("'" + v + "' is not an encoding name", "write e.g. UTF8 or LATIN1");
            case APPROVAL:
                String a = v.toLowerCase(Locale.ROOT);
                return a.equals("none") || a.equals("dba") ? null
                        : new Issue("'" + v + "' is not an approval mode", "write none (restores run at once) or dba (a DBA approves)");
            case RESTORE_MODE:
                String m = v.toLowerCase(Locale.ROOT);
                return m.equals("auto") || m.equals("stream") || m.equals("file") || m.equals("ranges") ? null
                        : new Issue("'" + v + "' is not a restore mode",
                        "write auto (stream when restore_jobs = 1 and the dumps are on HTTP), stream"
                                + " (pg_restore reads the download as it arrives), ranges (each table's data fetched"
                                + " and loaded in parallel as it arrives) or file (download, then restore)");
            case SETTINGS:
                try {
                    SessionSettings.parse(v);
                    return null;
                } catch (IllegalArgumentException e) {
                    return new Issue(e.getMessage(), "write server settings as name=value separated by commas, e.g."
                            + " maintenance_work_mem=1GB, synchronous_commit=off (or none for the server's own values)");
                }
            case HOST:
                return HOST.matcher(v).matches() ? null
                        : new Issue("'" + v + "' is not a host name or address",
                        "write a name such as db-dev-1.internal, an address such as 10.0.0.5, or a Host alias of ~/.ssh/config"
                                + (v.matches("(?s).*\\s[#;].*") ? " (a comment goes on a line of its own)" : ""));
            case SSH_USER:
                return SSH_USER.matcher(v).matches() ? null
                        : new Issue("'" + v + "' is not a login name", "write the server's login, e.g. ssh_user = pgstaging");
            case RESTORE_ON:
                String on = v.toLowerCase(Locale.ROOT);
                return on.equals("console") || on.equals("target") ? null
                        : new Issue("'" + v + "' is not where a restore can run",
                        "write console (fetch here, pg_restore against the server) or target (pgstaging-client on the"
                                + " database server fetches and restores next to the data)");
            case PATH:
                return path(v);
            default:
                return null;
        }
    }

    static Issue dbname(String v) {
        int bytes = v.getBytes(StandardCharsets.UTF_8).length;
        if (!DBNAME.matcher(v).matches()) {
            return new Issue("'" + v + "' is not a usable database name",
                    "use letters, digits, _ and -, starting with a letter or _ (it also names dump files and pgbouncer entries)");
        }
        if (bytes > MAX_DBNAME_BYTES) {
            return new Issue("database name '" + v + "' is " + bytes + " bytes long, at most " + MAX_DBNAME_BYTES
                    + " fit", "shorten it: dated copies are named " + v.substring(0, Math.min(v.length(), 10))
                    + "..._YYYYMMDD and PostgreSQL truncates names to 63 bytes");
        }
        return null;
    }

    private static Issue identifier(String name, String v) {
        if (v.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
            return new Issue("'" + v + "' is longer than PostgreSQL's 63 bytes", "shorten " + name);
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) {
                return new Issue(name + " contains a control character", "write the name on one line, without control characters");
            }
        }
        return null;
    }

    private static Issue path(String v) {
        try {
            Path.of(v);
            return null;
        } catch (InvalidPathException e) {
            return new Issue("'" + v + "' is not a valid path: " + e.getReason(), "write a file system path");
        }
    }

    private static Issue integer(OptionSpec spec, String v, int min, int max, String what) {
        String example = spec.documentedDefault().matches("\\d+") ? spec.documentedDefault() : String.valueOf(min);
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            return new Issue("'" + v + "' is not an integer", "write " + what + ", e.g. " + spec.name() + " = " + example);
        }
        if (n < min || n > max) {
            return new Issue(v + " is not " + what, "write " + what + ", e.g. " + spec.name() + " = " + example);
        }
        return null;
    }
}
