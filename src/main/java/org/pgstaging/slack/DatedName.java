package org.pgstaging.slack;

import java.time.LocalDate;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.postgres.DatedDatabase;

/** {@code foodb_20261124}: the alias {@code foodb} and the date, as button values carry them. */
public record DatedName(String alias, LocalDate date) {

    public static DatedName parse(String database) {
        return DatedDatabase.split(database).map(p -> new DatedName(p.dbname(), p.date())).orElseThrow(() ->
                new PgStagingException("'" + database + "' is not a dated copy name", "dated copies are named dbname_YYYYMMDD"));
    }

    public DateSpec spec() {
        return DateSpec.of(date);
    }
}
