package org.pgstaging.job.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.pgstaging.config.StagingConfig;
import org.pgstaging.config.StateUrl;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where the bot's jobs and the history live: H2 files under {@code state_dir} (the default), or a
 * PostgreSQL database ({@code state_url}) in a schema of their own, {@value #SCHEMA}, so that the
 * database may be shared. Both stores reach it through one {@link DataSource}, so the code after
 * this is the same for both.
 */
public final class StateLocation {
    /** The schema holding pgstaging's tables on PostgreSQL; on H2 each file is pgstaging's alone. */
    static final String SCHEMA = "pgstaging";
    /** How pgstaging's sessions are named in pg_stat_activity. */
    static final String APPLICATION_NAME = "pgstaging";

    private final Path dir;
    private final StateUrl url;

    private StateLocation(Path dir, StateUrl url) {
        this.dir = dir;
        this.url = url;
    }

    /** The H2 files in {@code stateDir}. */
    public static StateLocation directory(Path stateDir) {
        return new StateLocation(stateDir.toAbsolutePath().normalize(), null);
    }

    /** The PostgreSQL database of {@code url}. */
    public static StateLocation postgres(StateUrl url) {
        return new StateLocation(null, Objects.requireNonNull(url));
    }

    /** What the configuration says: [slack] state_url when set, else state_dir. */
    public static StateLocation of(StagingConfig config) {
        Optional<StateUrl> url = config.stateUrl();
        return url.map(StateLocation::postgres).orElseGet(() -> directory(config.stateDir()));
    }

    boolean isPostgres() {
        return url != null;
    }

    /** state_url; null for H2 files. */
    StateUrl url() {
        return url;
    }

    /** The state_dir of the H2 files; null on PostgreSQL. */
    Path dir() {
        return dir;
    }

    /**
     * Connections to one store: on H2 the file {@code h2Name}.mv.db opened with {@code h2Settings},
     * on PostgreSQL the database itself (both stores share it).
     */
    DataSource dataSource(String h2Name, String h2Settings) {
        if (url != null) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(url.jdbcUrl());
            ds.setApplicationName(APPLICATION_NAME);
            ds.setCurrentSchema(SCHEMA);
            return ds;
        }
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve(h2Name) + ";" + h2Settings);
        return ds;
    }

    /**
     * Connections to the PostgreSQL state for the replicas' server slots: a statement gives up after
     * {@code socketTimeoutSeconds}, so a replica cut off from the state database learns it in time
     * (its heartbeat fails) instead of waiting for TCP to notice.
     */
    DataSource slotSessions(int socketTimeoutSeconds) {
        PGSimpleDataSource ds = (PGSimpleDataSource) dataSource("pgstaging", "");
        ds.setSocketTimeout(socketTimeoutSeconds);
        ds.setConnectTimeout(socketTimeoutSeconds);
        ds.setTcpKeepAlive(true);
        return ds;
    }

    /** Makes the state_dir the H2 files go in; nothing to make on PostgreSQL. */
    void prepare() {
        if (url != null) return;
        if (dir.toString().contains(";")) { // H2 would read what follows as connection settings
            throw new JobStoreException("state_dir " + dir + " contains ';'", "choose a state_dir path without ';'");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new JobStoreException("cannot create state_dir " + dir + ": " + e.getMessage(),
                    "set [slack] state_dir to a directory pgstaging may write to", e);
        }
        if (!Files.isWritable(dir)) {
            throw new JobStoreException("state_dir " + dir + " is not writable",
                    "give the pgstaging user write access to it or choose another state_dir");
        }
    }

    /** A database error's text fit for a message: the password of state_url hidden. */
    String mask(String text) {
        return url == null ? text : url.mask(text);
    }

    /** What to check when the state database fails. */
    String troubleHint() {
        return url == null ? "check that the state_dir disk is writable and not full"
                : "check that the state database " + url.display() + " is up and reachable ([slack] state_url)";
    }

    /** Which option to change to point pgstaging at other state. */
    String option() {
        return url == null ? "state_dir" : "state_url";
    }

    /** {@code state_dir /path} or {@code state database host:port/db}: how messages name it. */
    @Override
    public String toString() {
        return url == null ? "state_dir " + dir : "state database " + url.display();
    }

    /** {@code host:port/db}, or the state_dir. */
    String display() {
        return url == null ? dir.toString() : url.display();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateLocation other && Objects.equals(dir, other.dir) && Objects.equals(url, other.url);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dir, url);
    }
}
