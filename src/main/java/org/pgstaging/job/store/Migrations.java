package org.pgstaging.job.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The versioned schema of one store, as Flyway SQL migrations under
 * {@code org/pgstaging/job/store/migration/<store>}, each store with its own history table (on H2
 * the two stores are two files; on PostgreSQL they share the schema). A database made before
 * Flyway is adopted at the version it had; one made by a newer pgstaging is refused.
 */
final class Migrations {
    /** The bot's jobs: before Flyway, {@code schema_version} (versions 1 and 2) said what was applied. */
    static final Migrations JOBS = new Migrations("jobs", "flyway_jobs_history", "schema_version",
            "SELECT COALESCE(MAX(version), 0) FROM schema_version", 2, 6);
    /** The history of changes: before Flyway, its tables were made if missing, so they are version 1. */
    static final Migrations CHANGES = new Migrations("changes", "flyway_changes_history", "changes", null, 1, 1);

    private final String store;
    private final String historyTable;
    private final String legacyTable;
    /** Reads the version of a database made before Flyway; null: such a database is always {@code legacyLast}. */
    private final String legacyVersionQuery;
    private final int legacyLast;
    /** The version of the newest migration shipped (MigrationsTest checks it against the files). */
    final int newest;

    private Migrations(String store, String historyTable, String legacyTable, String legacyVersionQuery, int legacyLast,
                       int newest) {
        this.store = store;
        this.historyTable = historyTable;
        this.legacyTable = legacyTable;
        this.legacyVersionQuery = legacyVersionQuery;
        this.legacyLast = legacyLast;
        this.newest = newest;
    }

    /** The migrations' folder on the class path. */
    String location() {
        return "org/pgstaging/job/store/migration/" + store;
    }

    /**
     * Brings the store up to the newest version; call it on the store thread (Flyway opens connections of its own).
     * A store already at the newest version is left alone without starting Flyway: every console
     * opens the history, and Flyway's start (scanning the jar, loading its plugins) cost a cold
     * process about 0.6 s of each restore's fixed cost.
     */
    void migrate(StoreThread db, StateLocation where, DataSource connections) {
        if (db.transaction("reading the schema version", this::upToDate)) return;
        migrateTo(db, where, connections, null);
    }

    /** Whether Flyway's history says every shipped migration, and nothing newer, was applied successfully. */
    private boolean upToDate(Connection c) throws SQLException {
        if (!tableExists(c, historyTable)) return false;
        int highest = -1;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"version\", \"success\" FROM \"" + historyTable + "\"")) {
            while (rs.next()) {
                if (!rs.getBoolean(2)) return false;
                String v = rs.getString(1);
                if (v == null) continue; // repeatable migrations have none; there are none here
                try {
                    highest = Math.max(highest, Integer.parseInt(v));
                } catch (NumberFormatException notOurs) {
                    return false;
                }
            }
        }
        return highest == newest;
    }

    /** Brings the store up to {@code target} (null: the newest); tests make older databases with it. */
    void migrateTo(StoreThread db, StateLocation where, DataSource connections, String target) {
        Optional<Integer> legacy = db.transaction("reading the schema version", this::legacyVersion);
        if (legacy.isPresent() && legacy.get() > legacyLast) throw tooNew(where, legacy.get().toString(), legacyLast + "");
        db.run("migrating the " + store + " schema", () -> {
            try {
                Flyway flyway = configure(where, connections, legacy.orElse(0), target).load();
                refuseFuture(flyway.info(), where);
                flyway.migrate();
            } catch (FlywayException e) {
                throw new JobStoreException("cannot bring the " + store + " schema of the " + where + " up to date: "
                        + where.mask(e.getMessage()), where.troubleHint(), e);
            }
            return null;
        });
    }

    private FluentConfiguration configure(StateLocation where, DataSource connections, int baseline, String target) {
        FluentConfiguration c = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(connections)
                .locations("classpath:" + location())
                .table(historyTable)
                // a database made before Flyway holds tables but no history: it is at the version it says;
                // on PostgreSQL the other store's tables make the schema non-empty too: that is version 0
                .baselineOnMigrate(true)
                .baselineVersion(Integer.toString(baseline))
                .baselineDescription(baseline == 0 ? "empty" : "made before Flyway")
                .cleanDisabled(true);
        if (where.isPostgres()) c.schemas(StateLocation.SCHEMA);
        if (target != null) c.target(target);
        return c;
    }

    /** Flyway would run on past migrations it does not know: a newer pgstaging wrote them. */
    private void refuseFuture(MigrationInfoService info, StateLocation where) {
        Optional<MigrationVersion> newest = Arrays.stream(info.applied())
                .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED)
                .map(MigrationInfo::getVersion).filter(Objects::nonNull).max(Comparator.naturalOrder());
        if (newest.isEmpty()) return;
        String known = Arrays.stream(info.all()).filter(m -> m.getState().isResolved())
                .map(MigrationInfo::getVersion).filter(Objects::nonNull).max(Comparator.naturalOrder())
                .map(MigrationVersion::getVersion).orElse("0");
        throw tooNew(where, newest.get().getVersion(), known);
    }

    private JobStoreException tooNew(StateLocation where, String version, String known) {
        return new JobStoreException("the " + where + " has " + store + " schema version " + version
                + " but this pgstaging knows only up to " + known,
                "run the newer pgstaging that wrote it, or point " + where.option() + " elsewhere");
    }

    /** The version of a database made before Flyway, if this is one. */
    private Optional<Integer> legacyVersion(Connection c) throws SQLException {
        if (!tableExists(c, legacyTable)) return Optional.empty();
        if (legacyVersionQuery == null) return Optional.of(legacyLast);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(legacyVersionQuery)) {
            rs.next();
            return Optional.of(rs.getInt(1));
        }
    }

    /** Whether the current schema holds table {@code name} (lower case, as both stores name theirs). */
    private static boolean tableExists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM information_schema.tables "
                + "WHERE LOWER(table_name) = ? AND LOWER(table_schema) = LOWER(CURRENT_SCHEMA)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }
}
