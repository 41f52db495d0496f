package org.pgstaging.slack;

import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;

/** {@code foodb_20261124}: the alias {@code foodb} and the date, as button values carry them. */
public record DatedName(String alias, LocalDate date) {
    private static final Pattern NAME = Pattern.compile("(.+)_(\\d{8})");

    public static DatedName parse(String database) {
        Matcher m = NAME.matcher(database == null ? "" : database);
        if (!m.matches()) {
            throw new PgStagingException("'" + database + "' is not a dated copy name", "dated copies are named dbname_YYYYMMDD");
        }
        DateSpec d = DateSpec.parse(m.group(2));
        return new DatedName(m.group(1), d.fixedDate(LocalDate.MIN).orElseThrow());
    }

    public DateSpec spec() {
        return DateSpec.of(date);
    }
}
