package org.pgstaging.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.job.CatalogReport;
import org.pgstaging.job.DatabaseInfo;
import org.pgstaging.job.DatabaseSize;
import org.pgstaging.job.PgbouncerDatabase;
import org.pgstaging.job.RestoreResult;
import org.pgstaging.job.StagingOperations;
import org.pgstaging.job.TriggerInfo;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.restore.Step;

/**
 * Test double of the engine API for the command line's own tests (parsing, formatting): records
 * each call as "method arg arg..." (null as "-") and returns fixed values. Never used to test
 * the engine itself.
 */
final class RecordingOperations implements StagingOperations {
    final List<String> calls = new ArrayList<>();
    /** Thrown by engine calls (those {@link #failWhen} accepts) instead of returning, when set. */
    RuntimeException failure;
    java.util.function.Predicate<String> failWhen = call -> true;
    /** Runs inside restore() before it returns (e.g. to block until interrupted). */
    Runnable duringRestore = () -> { };

    private <T> T call(String method, Supplier<T> result, Object... args) {
        calls.add(method + (args.length == 0 ? "" : " " + Arrays.stream(args)
                .map(a -> a == null ? "-" : String.valueOf(a)).collect(Collectors.joining(" "))));
        if (failure != null && failWhen.test(calls.get(calls.size() - 1))) throw failure;
        return result.get();
    }

    private void call(String method, Object... args) {
        call(method, () -> null, args);
    }

    static String dbname(String section) {
        return section.substring(0, section.contains(".") ? section.indexOf('.') : section.length());
    }

    @Override
    public List<String> sections() {
        return call("sections", () -> List.of("foodb.dev", "bardb.preprod"));
    }

    @Override
    public RestoreResult restore(String section, DateSpec date, RestoreListener listener) {
        return call("restore", () -> {
            String db = dbname(section) + "_20261124";
            listener.on(new RestoreEvent.StepStarted(db, Step.CREATE_DATABASE, db));
            listener.on(new RestoreEvent.Detail(db, Step.CREATE_DATABASE, "would: CREATE DATABASE \"" + db + "\""));
            listener.on(new RestoreEvent.StepFinished(db, Step.CREATE_DATABASE, Duration.ofMillis(120), null));
            duringRestore.run();
            listener.on(new RestoreEvent.Completed(db, Duration.ofSeconds(410), true));
            return new RestoreResult(section, db, true, Duration.ofSeconds(72), Duration.ofSeconds(303),
                    Duration.ofMillis(32_100), Duration.ofSeconds(410));
        }, section, date);
    }

    @Override
    public RestoreResult load(String section, Path dumpFile, RestoreListener listener) {
        return call("load", () -> new RestoreResult(section, dbname(section) + "_20261120", false,
                Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(6)),
                section, dumpFile.getFileName());
    }

    @Override
    public Path fetch(String section, DateSpec date, RestoreListener listener) {
        return call("fetch", () -> Path.of("/var/tmp/" + dbname(section) + ".2026-11-24.dump"), section, date);
    }

    @Override
    public String createdb(String section, DateSpec date) {
        return call("createdb", () -> dbname(section) + "_20261124", section, date);
    }

    @Override
    public String drop(String section, DateSpec date) {
        return call("drop", () -> dbname(section) + "_20261120", section, date);
    }

    @Override
    public String switchTo(String section, DateSpec date) {
        return call("switchTo", () -> dbname(section) + "_20261124", section, date);
    }

    @Override
    public List<String> purge(String section) {
        return call("purge", () -> List.of(dbname(section) + "_20261101", dbname(section) + "_20261102"), section);
    }

    @Override
    public void vacuumdb(String section, DateSpec date, RestoreListener listener) {
        call("vacuumdb", section, date);
    }

    @Override
    public List<Path> sourceSql(String section, DateSpec date, boolean pre, RestoreListener listener) {
        return call("sourceSql", () -> List.of(Path.of("/sql/" + section + (pre ? "/pre" : "/post") + "/01.sql")),
                section, date, pre);
    }

    @Override
    public void initCluster(String section, RestoreListener listener) {
        call("initCluster", section);
    }

    @Override
    public Path dump(String section, DateSpec date, Path file, boolean overwrite) {
        return call("dump", () -> file != null ? file : Path.of(dbname(section) + ".2026-11-24.dump"),
                section, date, file, overwrite);
    }

    @Override
    public List<DatabaseInfo> databases(String section) {
        return call("databases", () -> List.of(
                new DatabaseInfo(section, "foodb_20261120", LocalDate.of(2026, 11, 20), false, true,
                        "host=localhost port=5432 dbname=foodb_20261120"),
                new DatabaseInfo(section, "foodb_20261124", LocalDate.of(2026, 11, 24), true, true,
                        "host=localhost port=5432 dbname=foodb_20261124")), section);
    }

    @Override
    public List<BackupFile> backups(String section, boolean local) {
        return call("backups", () -> List.of(
                backup(LocalDate.of(2026, 11, 23), 1_288_490_189L),
                backup(LocalDate.of(2026, 11, 24), 1_395_864_371L),
                backup(LocalDate.of(2026, 11, 22), -1)), section, local);
    }

    private static BackupFile backup(LocalDate d, long size) {
        String name = "foodb." + d + ".dump";
        return new BackupFile("foodb", d, name, URI.create("http://backups/PostgreSQL/nightly/" + name),
                size < 0 ? OptionalLong.empty() : OptionalLong.of(size));
    }

    @Override
    public DatabaseSize dbsize(String section, DateSpec date) {
        return call("dbsize", () -> new DatabaseSize(section, "foodb_20261124", 1_288_490_189L, true), section, date);
    }

    @Override
    public List<org.pgstaging.job.ServerActivity> activity(List<String> sections) {
        return call("activity", () -> List.of(new org.pgstaging.job.ServerActivity("127.0.0.1:5432", sections, List.of(
                new org.pgstaging.job.ServerActivity.Turn(0, "restore foodb.dev 2026-11-24", "alice@stage1 (console)",
                        java.time.Instant.parse("2026-11-24T09:00:00Z"), null, null),
                new org.pgstaging.job.ServerActivity.Turn(1, "switch foodb.dev latest", "Slack user U0BOBBY01",
                        java.time.Instant.parse("2026-11-24T09:05:00Z"), java.time.Instant.parse("2026-11-24T09:30:00Z"), null)), null)),
                sections);
    }

    @Override
    public List<DatabaseSize> dbsizes(List<String> sections) {
        return call("dbsizes", () -> {
            List<DatabaseSize> out = new ArrayList<>();
            for (String s : sections) {
                out.add(new DatabaseSize(s, dbname(s) + "_20261120", 1_073_741_824L, false));
                out.add(new DatabaseSize(s, dbname(s) + "_20261124", 2_147_483_648L, true));
                out.add(new DatabaseSize(s, dbname(s) + "_20261125", -1, false));
            }
            return out;
        }, String.join(",", sections));
    }

    @Override
    public List<org.pgstaging.job.model.Change> history(String section, LocalDate since, int limit) {
        return call("history", () -> List.of(
                new org.pgstaging.job.model.Change(12, "restore", "foodb.dev", "2026-11-24", "foodb_20261124", "db1:5432",
                        "alice@console1 (console)", null, java.time.Instant.parse("2026-11-30T10:00:00Z"),
                        java.time.Instant.parse("2026-11-30T10:03:05Z"), org.pgstaging.job.model.Change.Outcome.DONE,
                        null, null, null, 1_288_490_189L, List.of(new org.pgstaging.job.model.Change.StepTime("DOWNLOAD", 61_000),
                        new org.pgstaging.job.model.Change.StepTime("PG_RESTORE", 120_000))),
                new org.pgstaging.job.model.Change(11, "drop", "foodb.dev", "oldest", null, "db1:5432",
                        "Slack user U0ALICE", null, java.time.Instant.parse("2026-11-30T09:00:00Z"),
                        java.time.Instant.parse("2026-11-30T09:00:01Z"), org.pgstaging.job.model.Change.Outcome.FAILED,
                        "refusing to drop foodb_20261124: the alias foodb points to it", "switch first", null, null, List.of())),
                section, since, limit);
    }

    @Override
    public String show(String section, DateSpec date, String setting) {
        return call("show", () -> "\"$user\", public", section, date, setting);
    }

    @Override
    public List<PgbouncerDatabase> pgbouncer(String section) {
        return call("pgbouncer", () -> List.of(
                new PgbouncerDatabase("foodb", "foodb_20261124", "localhost", 5432, false),
                new PgbouncerDatabase("foodb_20261120", "foodb_20261120", "localhost", 5432, false),
                new PgbouncerDatabase("foodb_20261124", "foodb_20261124", "localhost", 5432, true)), section);
    }

    @Override
    public void pause(String section, DateSpec date) {
        call("pause", section, date);
    }

    @Override
    public void resume(String section, DateSpec date) {
        call("resume", section, date);
    }

    @Override
    public String service(String section, String action) {
        return call("service", () -> "pgbouncer is running\n", section, action);
    }

    @Override
    public CatalogReport catalog(String section, Path dumpFile, Writer out) {
        return call("catalog", () -> {
            try {
                out.write("; Archive created at 2026-11-24\n3; 2615 2200 SCHEMA - public postgres\n");
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new CatalogReport(120, 97, List.of("pgq"), List.of("public.audit"), List.of("public.t_trg"), List.of("CAST CAST (pgq.ticket AS text) needs TYPE pgq.ticket"), List.of(), "97 of 120 catalog entries kept");
        }, section, dumpFile == null ? null : dumpFile.getFileName());
    }

    @Override
    public CatalogReport catalogAt(String section, DateSpec date, Writer out) {
        return call("catalog", () -> new CatalogReport(120, 97, List.of("pgq"), List.of("public.audit"), List.of("public.t_trg"), List.of("CAST CAST (pgq.ticket AS text) needs TYPE pgq.ticket"), List.of(), "97 of 120 catalog entries kept"),
                section, date);
    }

    @Override
    public List<TriggerInfo> triggers(String section, Path dumpFile) {
        return call("triggers", () -> List.of(new TriggerInfo("public", "orders", "orders_audit",
                "audit.log_change", false), new TriggerInfo("public", "t", "t_trg", "pgq.logtriga", true)),
                section, dumpFile == null ? null : dumpFile.getFileName());
    }

    @Override
    public List<String> nodata(String section, Path dumpFile) {
        return call("nodata", () -> List.of("public.audit", "logs.events"), section,
                dumpFile == null ? null : dumpFile.getFileName());
    }
}
