package org.pgstaging.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import org.pgstaging.PgStagingException;
import org.pgstaging.config.Section;

/**
 * Paths of the client programs: {@code pg_restore} from the section, {@code psql} and {@code pg_dump}
 * beside it (the same major version) unless set explicitly.
 */
public record PostgresTools(String pgRestore, String psql, String pgDump) {

    public static PostgresTools of(Section s) {
        return new PostgresTools(s.pgRestore(), s.psql(), s.pgDump());
    }

    /** Fails before any side effect when a configured absolute path does not exist. */
    public void checkPgRestore(String section) {
        check(pgRestore, "pg_restore", section);
    }

    public void checkPsql(String section) {
        check(psql, "psql", section);
    }

    public void checkPgDump(String section) {
        check(pgDump, "pg_dump", section);
    }

    private static void check(String tool, String option, String section) {
        Path p = Path.of(tool);
        if (p.isAbsolute() && !Files.isExecutable(p)) {
            throw new PgStagingException("[" + section + "] " + option + ": no executable at " + tool,
                    "install the PostgreSQL client of that major version or fix " + option
                            + " (e.g. pg_restore = /usr/lib/postgresql/%(postgres_major)s/bin/pg_restore)");
        }
    }
}
