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

    /**
     * {@code psql -f file} into {@code database} on {@code server}; {@code stopOnError}: the first
     * error ends it (ON_ERROR_STOP), else psql goes on and reports each.
     */
    public java.util.List<String> psqlFile(PostgresServerAddress server, String database, Path file, boolean stopOnError) {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of(psql, "--no-psqlrc", "--quiet"));
        if (stopOnError) argv.add("--set=ON_ERROR_STOP=1");
        argv.addAll(connection(server, database));
        argv.add("--file=" + file);
        return java.util.List.copyOf(argv);
    }

    /** {@code pg_dump --format=custom} of {@code database} on {@code server} into {@code out}. */
    public java.util.List<String> pgDumpCustom(PostgresServerAddress server, String database, Path out) {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of(pgDump, "--format=custom"));
        argv.addAll(connection(server, database));
        argv.add("--file=" + out);
        return java.util.List.copyOf(argv);
    }

    /** The options naming the server and database, as every client program takes them; never a password. */
    public static java.util.List<String> connection(PostgresServerAddress server, String database) {
        return java.util.List.of("--host=" + server.host(), "--port=" + server.port(), "--username=" + server.user(),
                "--no-password", "--dbname=" + database);
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
