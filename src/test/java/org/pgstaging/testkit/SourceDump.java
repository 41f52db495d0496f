package org.pgstaging.testkit;

import java.nio.file.Path;

/**
 * A custom-format pg_dump of the multi-schema fixture (src/test/resources/fixtures/source.sql),
 * made once per test JVM on the shared cluster.
 */
public final class SourceDump {
    private static Path custom;

    private SourceDump() {}

    public static synchronized Path custom() {
        if (custom == null) {
            PostgresServer pg = PostgresServer.shared();
            String db = "fixture_source";
            pg.execute("postgres", "DROP DATABASE IF EXISTS " + db);
            pg.createDatabase(db);
            pg.psql(db, Path.of("src/test/resources/fixtures/source.sql").toAbsolutePath());
            Path dir = TempDirs.create("pgstaging-source-dump");
            Unprivileged.chmod(dir, "rwxr-xr-x");
            custom = dir.resolve("source.dump");
            pg.pgDump(db, custom, "c");
            Unprivileged.chmod(custom, "rw-r--r--");
        }
        return custom;
    }
}
