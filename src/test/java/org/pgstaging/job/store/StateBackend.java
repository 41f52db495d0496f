package org.pgstaging.job.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.pgstaging.config.StateUrl;
import org.pgstaging.testkit.PostgresServer;

/** Where tests keep the state: H2 files in a temporary state_dir, or a fresh database of the shared test PostgreSQL. */
public enum StateBackend {
    H2 {
        @Override
        public StateLocation fresh(Path tempDir) {
            return StateLocation.directory(tempDir.resolve("state"));
        }
    },
    POSTGRES {
        @Override
        public StateLocation fresh(Path tempDir) {
            String db = "state_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
            PostgresServer server = PostgresServer.shared();
            server.createDatabase(db);
            return StateLocation.postgres(StateUrl.parse(server.jdbcUrl(db) + "?user=" + server.superuser() + "&sslmode=disable"));
        }
    };

    private static final AtomicInteger DATABASES = new AtomicInteger();

    /** A location nobody used yet. */
    public abstract StateLocation fresh(Path tempDir);

    /** How a child process is told the location: the state_dir, or the state_url. */
    public static String argument(StateLocation where) {
        return where.isPostgres() ? where.url().jdbcUrl() : where.dir().toString();
    }

    /** The location an {@link #argument} names. */
    public static StateLocation fromArgument(String arg) {
        return arg.startsWith("jdbc:") ? StateLocation.postgres(StateUrl.parse(arg)) : StateLocation.directory(Path.of(arg));
    }

    /** A connection of the test's own to the store {@code h2Name} (pgstaging or history) behind pgstaging's back. */
    public static Connection rawConnection(StateLocation where, String h2Name) throws SQLException {
        if (where.isPostgres()) return where.dataSource(h2Name, "").getConnection();
        // the history is shared through H2's mixed mode; the jobs' file is opened alone
        return DriverManager.getConnection("jdbc:h2:file:" + where.dir().resolve(h2Name)
                + (h2Name.equals("history") ? ";AUTO_SERVER=TRUE" : ""));
    }
}
