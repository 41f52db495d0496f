package org.pgstaging.postgres;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pgstaging.backup.DateSpec;

/** The naming rule for restored copies: {@code dbname_YYYYMMDD}. */
public final class DatedDatabase {
    private static final Pattern SUFFIX = Pattern.compile("_(\\d{8})$");

    private DatedDatabase() {}

    public static String name(String dbname, LocalDate date) {
        return dbname + "_" + DateSpec.compact(date);
    }

    /** A dated copy's name taken apart: its dbname and its date. */
    public record Parts(String dbname, LocalDate date) { }

    /** {@code name} taken apart when it is {@code dbname_YYYYMMDD} with a real date, whatever the dbname. */
    public static Optional<Parts> split(String name) {
        if (name == null) return Optional.empty();
        Matcher m = SUFFIX.matcher(name);
        if (!m.find() || m.start() == 0) return Optional.empty();
        try {
            return Optional.of(new Parts(name.substring(0, m.start()), LocalDate.parse(m.group(1), DateSpec.COMPACT_FORMAT)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The date of {@code name} when it is {@code dbname_YYYYMMDD} for this exact dbname. */
    public static Optional<LocalDate> dateOf(String dbname, String name) {
        if (!name.startsWith(dbname + "_")) return Optional.empty();
        Matcher m = SUFFIX.matcher(name);
        if (!m.find() || m.start() != dbname.length()) return Optional.empty();
        try {
            return Optional.of(LocalDate.parse(m.group(1), DateSpec.COMPACT_FORMAT));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
