package org.pgstaging.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.CuttingProxy;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.RestoreFailedException;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.restore.Step;
import org.pgstaging.testkit.DatabaseSnapshot;
import org.pgstaging.testkit.NginxServer;
import org.pgstaging.testkit.SourceDump;
import org.pgstaging.testkit.StagingSandbox;

/**
 * Fast restores on real parts (nginx, PostgreSQL, pgbouncer): pg_restore reading the download as it
 * arrives, the fallback to a file when the stream breaks, parallel ranged downloads, directory-format
 * dumps. Each test has its own dbname.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FastRestoreEndToEndTest {
    private static final LocalDate OLD = LocalDate.of(2026, 11, 20);
    private static final LocalDate NEW = LocalDate.of(2026, 11, 24);

    private StagingSandbox sandbox;

    @BeforeAll
    void start() {
        sandbox = StagingSandbox.start(StagingSandbox.Web.NGINX);
    }

    @AfterAll
    void stop() {
        if (sandbox != null) sandbox.close();
    }

    private StagingService service(String dbname, RestoreListener events, String... extra) {
        Path ini = sandbox.writeConfig(dbname, extra);
        return new StagingService(ConfigLoader.load(ini), EngineOptions.defaults(), events);
    }

    @Test
    void streamedRestoreNeverStoresTheDump() throws Exception {
        sandbox.publishDump("fastdb", NEW);
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
        Set<String> seenInTmpdir = new ConcurrentSkipListSet<>();
        RestoreListener watcher = e -> {
            events.add(e);
            if (e instanceof RestoreEvent.StepProgress p && p.step() == Step.DOWNLOAD) {
                try (var files = Files.list(sandbox.tmpdir)) {
                    files.map(f -> f.getFileName().toString()).filter(n -> n.contains("fastdb")).forEach(seenInTmpdir::add);
                } catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }
        };
        StagingService s = service("fastdb", watcher);

        RestoreResult r = s.restore("fastdb.dev", DateSpec.latest(), null);

        assertThat(r.switched()).isTrue();
        assertRestoredFixture("fastdb_20261124");
        assertThat(sandbox.aliasTarget("fastdb")).isEqualTo("fastdb_20261124");
        assertThat(seenInTmpdir).as("only the list and the bytes the catalog was read from while streaming")
                .containsExactlyInAnyOrder(".fastdb_20261124.list", ".fastdb_20261124.head");
        assertThat(tmpFiles("fastdb")).isEmpty();
        long size = Files.size(SourceDump.custom());
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.StepStarted st && st.step() == Step.DOWNLOAD
                && st.detail().contains("stream") && st.detail().contains("restore_mode = auto"));
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.StepProgress p && p.step() == Step.DOWNLOAD
                && p.unit().equals("bytes") && p.done() == size && p.total() == size);
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.StepProgress p && p.step() == Step.PG_RESTORE
                && p.unit().equals("items") && p.done() > 0);
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.StepFinished f && f.step() == Step.DOWNLOAD
                && f.detail().contains(size + " bytes streamed"));
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.Detail d && d.step() == Step.PG_RESTORE
                && d.line().endsWith("< stream") && !d.line().contains(".dump"));
        assertThat(events).noneMatch(e -> e instanceof RestoreEvent.Detail d && d.line().contains("stream broke"));
        assertThat(sandbox.http.awaitRequestCount("/fastdb/fastdb.2026-11-24.dump", 1))
                .as("the catalog's request goes on into pg_restore").isEqualTo(1);
    }

    @Test
    void streamedRestoreWithRemoveDumpFalseKeepsAByteIdenticalCopy() throws Exception {
        sandbox.publishDump("keepdb", NEW);
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
        StagingService s = service("keepdb", events::add, "remove_dump = False");

        s.restore("keepdb.dev", DateSpec.latest(), null);

        assertRestoredFixture("keepdb_20261124");
        Path kept = sandbox.tmpdir.resolve("keepdb.2026-11-24.dump");
        assertThat(tmpFiles("keepdb")).containsExactly("keepdb.2026-11-24.dump");
        assertThat(Files.mismatch(kept, SourceDump.custom())).isEqualTo(-1L);
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.StepFinished f && f.step() == Step.DOWNLOAD
                && f.detail().contains("copy kept as " + kept));
        assertThat(sandbox.http.awaitRequestCount("/keepdb/keepdb.2026-11-24.dump", 1))
                .as("the catalog's request goes on into pg_restore").isEqualTo(1);
    }

    /** Pre SQL may outlast a web server's patience with a client that does not read: pg_restore's request is then its own. */
    @Test
    void aStreamedRestoreWithPreSqlFetchesTheDumpAgainForPgRestore() throws Exception {
        sandbox.publishDump("presdb", NEW);
        Path sql = Files.createDirectories(sandbox.dir.resolve("pressql/presdb.dev/pre"));
        Files.writeString(sql.resolve("00-note.sql"), "SELECT 1;\n");

        service("presdb", e -> { }, "sql_path = " + sandbox.dir.resolve("pressql"))
                .restore("presdb.dev", DateSpec.latest(), null);

        assertRestoredFixture("presdb_20261124");
        assertThat(sandbox.http.awaitRequestCount("/presdb/presdb.2026-11-24.dump", 2))
                .as("one request for the catalog, one streamed into pg_restore").isEqualTo(2);
        assertThat(tmpFiles("presdb")).isEmpty();
    }

    /** The catalog's request stays open until pg_restore reads it: a failure before that ends it, keeping no partial copy. */
    @Test
    void aFailureBetweenTheCatalogAndPgRestoreEndsTheOpenStreamWithNothingLeft() throws Exception {
        sandbox.publishDump("ownerdb", NEW);
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
        StagingService s = service("ownerdb", events::add, "remove_dump = False", "dbowner = no_such_owner");

        assertThatThrownBy(() -> s.restore("ownerdb.dev", DateSpec.latest(), null))
                .isInstanceOfSatisfying(RestoreFailedException.class,
                        e -> assertThat(e.step()).as(e.getMessage()).isEqualTo(Step.CREATE_DATABASE));

        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.StepFinished f && f.step() == Step.CATALOG);
        assertThat(events).as("no download step started").noneMatch(e -> e instanceof RestoreEvent.StepStarted st
                && st.step() == Step.DOWNLOAD);
        assertThat(tmpFiles("ownerdb")).as("no copy, part, head or list left").isEmpty();
        assertThat(sandbox.databaseExists("ownerdb_20261124")).isFalse();
    }

    @Test
    void aDumpOverSeveralChunksStreamsOverParallelRangedConnectionsInOrder() throws Exception {
        // about 10 MB compressed: more than two 4 MB chunks, so the stream is fetched as ranges
        sandbox.pg.execute("postgres", "DROP DATABASE IF EXISTS chunk_src");
        sandbox.pg.execute("postgres", "CREATE DATABASE chunk_src");
        sandbox.pg.execute("chunk_src", "CREATE TABLE big AS SELECT g AS id, md5(g::text) || md5((g + 1)::text)"
                + " || md5((g + 2)::text) AS filler FROM generate_series(1, 450000) g");
        Path dump = sandbox.dir.resolve("chunk_src.dump");
        sandbox.pg.pgDump("chunk_src", dump, "c");
        sandbox.pg.dropDatabase("chunk_src");
        assertThat(Files.size(dump)).isGreaterThan(9L * 1024 * 1024);
        String path = "/chunkdb/chunkdb.2026-11-24.dump";
        sandbox.publish("chunkdb", "chunkdb.2026-11-24.dump", dump);
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
        StagingService s = service("chunkdb", events::add, "restore_mode = stream", "download_connections = 3",
                "remove_dump = False");

        s.restore("chunkdb.dev", DateSpec.latest(), null);

        try (Connection c = sandbox.pg.connect("chunkdb_20261124"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), sum(id), max(filler) FROM big")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(450_000L);
            assertThat(rs.getLong(2)).isEqualTo(450_000L * 450_001L / 2);
        }
        // the teed copy is byte-identical: the chunks were put back in order
        assertThat(Files.mismatch(sandbox.tmpdir.resolve("chunkdb.2026-11-24.dump"), dump)).isEqualTo(-1L);
        // chunks of 256 KB, doubling up to 4 MB (RangedFile.HEAD_CHUNK_BYTES, ChunkedRangeStream.DEFAULT_CHUNK_BYTES)
        long chunks = 0;
        for (long at = 0, next = 256 * 1024; at < Files.size(dump); at += next, next = Math.min(4L << 20, 2 * next)) chunks++;
        assertThat(sandbox.http.awaitRequestCount(path, chunks))
                .as("one ranged GET per chunk, the catalog read from the first ones").isEqualTo(chunks);
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.StepStarted st && st.step() == Step.DOWNLOAD
                && st.detail().contains("stream"));
    }

    /**
     * pg_restore's own sessions get restore_settings: a materialized view is filled by pg_restore
     * (REFRESH at the end of the restore), so it records the settings of that session.
     */
    @Test
    void restoreSettingsReachPgRestoresSessionsInStreamAndParallelFileModes() throws Exception {
        sandbox.pg.execute("postgres", "DROP DATABASE IF EXISTS settings_src");
        sandbox.pg.execute("postgres", "CREATE DATABASE settings_src");
        sandbox.pg.execute("settings_src", "CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 10) g;"
                + " CREATE MATERIALIZED VIEW seen AS SELECT current_setting('maintenance_work_mem') AS mwm,"
                + " current_setting('synchronous_commit') AS sc, current_setting('work_mem') AS wm, count(*) AS n FROM t");
        Path dump = sandbox.dir.resolve("settings_src.dump");
        sandbox.pg.pgDump("settings_src", dump, "c");
        sandbox.pg.dropDatabase("settings_src");
        org.pgstaging.postgres.ClusterAdmin server = new org.pgstaging.postgres.ClusterAdmin(new org.pgstaging.postgres.PostgresServerAddress(
                sandbox.pg.host(), sandbox.pg.port(), sandbox.pg.superuser()), "postgres");
        String serverWorkMem = server.show("postgres", "work_mem");
        String serverSyncCommit = server.show("postgres", "synchronous_commit");

        sandbox.publish("setdb", "setdb.2026-11-20.dump", dump);
        sandbox.publish("setdb", "setdb.2026-11-24.dump", dump);
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
        service("setdb", events::add).restore("setdb.dev", DateSpec.of(OLD), null);
        assertThat(seen("setdb_20261120")).as("defaults, streamed").isEqualTo("1GB off " + serverWorkMem + " 10");
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.Detail d && d.step() == Step.PG_RESTORE
                && d.line().startsWith("PGOPTIONS='-c maintenance_work_mem=1GB -c synchronous_commit=off' "));

        service("setdb", RestoreListener.NONE, "restore_jobs = 2", "restore_settings = work_mem=5MB, maintenance_work_mem=70MB")
                .restore("setdb.dev", DateSpec.of(NEW), null);
        assertThat(seen("setdb_20261124")).as("written, pg_restore -j 2").isEqualTo("70MB " + serverSyncCommit + " 5MB 10");
    }

    @Test
    void aRestoreSettingTheServerRefusesFailsBeforeAnythingIsCreated() throws Exception {
        sandbox.publishDump("badsetdb", NEW);
        StagingService s = service("badsetdb", RestoreListener.NONE, "restore_settings = maintenance_work_mem=1GB, no_such_setting=1");
        String iniBefore = Files.readString(sandbox.bouncer.configFile(), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> s.restore("badsetdb.dev", DateSpec.latest(), null))
                .hasMessageContaining("[badsetdb.dev] restore_settings: no_such_setting = 1 is refused by")
                .hasMessageContaining("unrecognized configuration parameter");
        assertThat(sandbox.databaseExists("badsetdb_20261124")).isFalse();
        assertThat(Files.readString(sandbox.bouncer.configFile(), StandardCharsets.UTF_8)).isEqualTo(iniBefore);
        assertThat(tmpFiles("badsetdb")).isEmpty();
    }

    @Test
    void restoreSettingsThroughAPoolerAreRefusedBeforeAnythingIsCreated() throws Exception {
        sandbox.publishDump("pooldb", NEW);
        StagingService s = service("pooldb", RestoreListener.NONE, "postgres_port = " + sandbox.bouncer.port());

        assertThatThrownBy(() -> s.restore("pooldb.dev", DateSpec.latest(), null))
                .hasMessageContaining("[pooldb.dev] restore_settings: ")
                // this pgbouncer drops libpq options (ignore_startup_parameters = options); a default one refuses them
                .hasMessageContaining("did not reach a session started with options '-c maintenance_work_mem=1GB -c synchronous_commit=off'")
                .satisfies(e -> assertThat(((PgStagingException) e).hint()).contains("not a connection pooler"));
        assertThat(sandbox.databaseExists("pooldb_20261124")).isFalse();
        assertThat(tmpFiles("pooldb")).isEmpty();
    }

    private String seen(String db) throws SQLException {
        try (Connection c = sandbox.pg.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT mwm || ' ' || sc || ' ' || wm || ' ' || n FROM seen")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aStreamCutMidWayFallsBackToAFileAndRestoresCleanly() throws Exception {
        sandbox.publishDump("cutdb", NEW);
        String path = "/cutdb/cutdb.2026-11-24.dump";
        long size = Files.size(SourceDump.custom());
        // request 1 reads the catalog and goes on into pg_restore: cut it after 60 % of the dump
        try (CuttingProxy proxy = new CuttingProxy(sandbox.http.port(), path, n -> n == 1, size * 6 / 10)) {
            List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
            // one connection, so each request the proxy counts is one of the three steps
            StagingService s = service("cutdb", events::add, "backup_host = " + proxy.hostAndPort(),
                    "download_connections = 1");

            RestoreResult r = s.restore("cutdb.dev", DateSpec.latest(), null);

            assertThat(proxy.cuts()).isEqualTo(1);
            assertThat(proxy.requests()).as("catalog and broken stream, file download").isEqualTo(2);
            assertThat(r.switched()).isTrue();
            assertRestoredFixture("cutdb_20261124");
            assertThat(events).anyMatch(e -> e instanceof RestoreEvent.Detail d && d.step() == Step.DOWNLOAD
                    && d.line().contains("the stream broke") && d.line().contains("dropping cutdb_20261124"));
            List<String> downloads = events.stream().filter(e -> e instanceof RestoreEvent.StepStarted st
                    && st.step() == Step.DOWNLOAD).map(e -> ((RestoreEvent.StepStarted) e).detail()).toList();
            assertThat(downloads).hasSize(2);
            assertThat(downloads.get(0)).contains("stream");
            assertThat(downloads.get(1)).contains("[file");
            assertThat(tmpFiles("cutdb")).as("the fallback's file is removed too (remove_dump)").isEmpty();
        }
    }

    @Test
    void aSourceThatAlwaysBreaksFailsWithNothingLeft() throws Exception {
        sandbox.publishDump("deaddb", OLD);
        sandbox.publishDump("deaddb", NEW);
        service("deaddb", e -> { }).restore("deaddb.dev", DateSpec.oldest(), null);
        String iniBefore = Files.readString(sandbox.bouncer.configFile(), StandardCharsets.UTF_8);
        long size = Files.size(SourceDump.custom());
        // every request cut after 80 % of the dump: past the catalog (over half of this small dump)
        try (CuttingProxy proxy = new CuttingProxy(sandbox.http.port(), "/deaddb/deaddb.2026-11-24.dump",
                n -> n >= 1, size * 8 / 10)) {
            List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
            StagingService s = service("deaddb", events::add, "backup_host = " + proxy.hostAndPort(),
                    "download_connections = 1");

            assertThatThrownBy(() -> s.restore("deaddb.dev", DateSpec.latest(), null))
                    .isInstanceOfSatisfying(RestoreFailedException.class, e -> {
                        assertThat(e.step()).as(e.getMessage()).isEqualTo(Step.DOWNLOAD);
                        assertThat(e.getMessage()).contains("truncated");
                        assertThat(e.cleanup()).contains("dropped database deaddb_20261124")
                                .doesNotContain("pgbouncer");
                    });
            assertThat(proxy.cuts()).isEqualTo(2);
        }
        assertThat(sandbox.databaseExists("deaddb_20261124")).isFalse();
        assertThat(Files.readString(sandbox.bouncer.configFile(), StandardCharsets.UTF_8)).isEqualTo(iniBefore);
        assertThat(sandbox.aliasTarget("deaddb")).isEqualTo("deaddb_20261120");
        assertThat(tmpFiles("deaddb")).isEmpty();
    }

    @Test
    void streamModeThatCannotStreamIsRefusedBeforeAnything() throws Exception {
        sandbox.publishDump("jobsdb", NEW);
        String iniBefore = Files.readString(sandbox.bouncer.configFile(), StandardCharsets.UTF_8);
        StagingService s = service("jobsdb", e -> { }, "restore_mode = stream", "restore_jobs = 2");
        assertThatThrownBy(() -> s.restore("jobsdb.dev", DateSpec.latest(), null))
                .isInstanceOfSatisfying(PgStagingException.class, e -> {
                    assertThat(e.getMessage()).contains("restore_mode = stream").contains("restore_jobs = 2");
                    assertThat(e.hint()).contains("restore_jobs = 1");
                });
        assertThat(sandbox.databaseExists("jobsdb_20261124")).isFalse();
        assertThat(Files.readString(sandbox.bouncer.configFile(), StandardCharsets.UTF_8)).isEqualTo(iniBefore);
    }

    @Test
    void parallelJobsDownloadWithSeveralRangedConnections() throws Exception {
        sandbox.publishDump("rangedb", NEW);
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
        StagingService s = service("rangedb", events::add, "restore_jobs = 2", "download_connections = 3",
                "remove_dump = False");

        s.restore("rangedb.dev", DateSpec.latest(), null);

        assertRestoredFixture("rangedb_20261124");
        Path kept = sandbox.tmpdir.resolve("rangedb.2026-11-24.dump");
        assertThat(Files.mismatch(kept, SourceDump.custom())).as("stitched from ranges, byte-identical").isEqualTo(-1L);
        assertThat(tmpFiles("rangedb")).containsExactly("rangedb.2026-11-24.dump");
        String path = "/rangedb/rangedb.2026-11-24.dump";
        sandbox.http.awaitRequestCount(path, 4);
        List<String> log = sandbox.http.accessLogLines().stream().filter(l -> l.contains("\"GET " + path + " ")).toList();
        // the catalog is checked at the head before anything is made (schemas is set), then three
        // ranged connections fetch the file
        assertThat(log).as(String.join("\n", log)).hasSize(4);
        assertThat(log.subList(1, 4)).allMatch(l -> l.contains("\" 206 "));
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.StepStarted st && st.step() == Step.DOWNLOAD
                && st.detail().contains("[file (restore_mode = auto: restore_jobs = 2 with remove_dump = False downloads"
                + " the dump, then restores it)]"));
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.Detail d && d.step() == Step.PG_RESTORE
                && d.line().contains("--jobs=2") && d.line().contains(kept.toString()));
    }

    @Test
    void directoryFormatDumpFromTheListingIsFetchedInParallelAndRestoredWithJobs() throws Exception {
        Path dump = directoryDump();
        Path published = Files.createDirectories(sandbox.docroot.resolve("dirdb/dirdb.2026-11-24.dump"));
        try (var files = Files.list(dump)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, published.resolve(f.getFileName()));
        }
        org.pgstaging.testkit.HttpServerProcess.makeWorldReadable(sandbox.docroot);
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
        StagingService s = service("dirdb", events::add, "restore_jobs = 2", "restore_mode = file");

        RestoreResult r = s.restore("dirdb.dev", DateSpec.latest(), null);

        assertThat(r.database()).isEqualTo("dirdb_20261124");
        assertRestoredFixture("dirdb_20261124");
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.StepStarted st && st.step() == Step.DOWNLOAD
                && st.detail().contains("restore_mode = file"));
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.Detail d && d.step() == Step.PG_RESTORE
                && d.line().contains("--jobs=2") && d.line().endsWith("dirdb.2026-11-24.dump"));
        assertThat(tmpFiles("dirdb")).as("remove_dump removes the downloaded directory").isEmpty();
        long dataFiles;
        try (var files = Files.list(dump)) {
            dataFiles = files.filter(f -> f.getFileName().toString().endsWith(".dat.gz")).count();
        }
        assertThat(dataFiles).isGreaterThan(3);
        sandbox.http.awaitRequestCount("/dirdb/dirdb.2026-11-24.dump/toc.dat", 1);
        assertThat(sandbox.http.accessLogLines().stream()
                .filter(l -> l.contains("\"GET /dirdb/dirdb.2026-11-24.dump/") && l.contains(".dat.gz ")).count())
                .isEqualTo(dataFiles);
    }

    @Test
    void directoryDumpOnHttpLoadsEachTablesFileAsItArrivesAndRestoresWhatAFileRestores() throws Exception {
        // large objects live in their own files (blobs.toc and one file each) in a directory dump
        Path dump = fixtureWithLargeObjects("dirrng", "repeat('blob ', 1000)", "d");
        for (String db : List.of("dirrng", "dirref")) {
            Path published = Files.createDirectories(sandbox.docroot.resolve(db + "/" + db + ".2026-11-24.dump"));
            try (var files = Files.list(dump)) {
                for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, published.resolve(f.getFileName()));
            }
        }
        org.pgstaging.testkit.HttpServerProcess.makeWorldReadable(sandbox.docroot);
        service("dirref", e -> { }, "restore_mode = file", "restore_jobs = 2").restore("dirref.dev", DateSpec.latest(), null);
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
        StagingService s = service("dirrng", events::add, "restore_jobs = 2");

        RestoreResult r = s.restore("dirrng.dev", DateSpec.latest(), null);

        assertThat(r.switched()).isTrue();
        assertRestoredFixture("dirrng_20261124");
        assertThat(DatabaseSnapshot.of(sandbox.pg, "dirrng_20261124"))
                .as("file by file, the same database as pg_restore -j 2 of the downloaded directory")
                .isEqualTo(DatabaseSnapshot.of(sandbox.pg, "dirref_20261124"));
        String blobs = "SELECT string_agg(md5(lo_get(oid)), ',' ORDER BY md5(lo_get(oid))) FROM pg_largeobject_metadata";
        assertThat(one("dirrng_20261124", blobs)).isNotNull().contains(",").isEqualTo(one("dirref_20261124", blobs));
        assertThat(events).as("auto chooses to fetch a directory dump file by file with restore_jobs = 2")
                .anyMatch(e -> e instanceof RestoreEvent.StepStarted st && st.step() == Step.DOWNLOAD
                        && st.detail().contains("file by file") && st.detail().contains("ranges (restore_mode = auto"));
        // the tables' keys and indexes and the foreign keys between them, built as soon as what they need is in
        assertBuiltBeforePostData(events, 10);
        // toc.dat once for the catalog, each data file once, and nothing else of the dump
        String prefix = "\"GET /dirrng/dirrng.2026-11-24.dump/";
        List<String> gets = sandbox.http.accessLogLines().stream().filter(l -> l.contains(prefix)).toList();
        List<String> files;
        try (var list = Files.list(dump)) {
            files = list.map(f -> f.getFileName().toString()).toList();
        }
        for (String f : files) {
            assertThat(gets.stream().filter(l -> l.contains(prefix + f + " ")).count()).as(f + " in\n" + String.join("\n", gets))
                    .isLessThanOrEqualTo(1);
        }
        assertThat(gets.stream().filter(l -> l.contains(prefix + "toc.dat ")).count()).isOne();
        long dataFiles = files.stream().filter(f -> f.endsWith(".dat.gz")).count();
        assertThat(gets.stream().filter(l -> l.contains(".dat.gz ")).count())
                .as("the kept tables' and the large objects' files, not those the catalog filter leaves out")
                .isGreaterThan(3).isLessThan(dataFiles);
        assertThat(gets.stream().filter(l -> l.contains(prefix + "blob_")).count()).isEqualTo(2);
        assertThat(gets.stream().filter(l -> l.contains(prefix + "blobs.toc ")).count()).isOne();
        assertThat(tmpFiles("dirrng")).as("no toc.dat, data file or list left in tmpdir").isEmpty();
    }

    @Test
    void directoryFormatDumpInALocalDirectoryIsRestoredInPlace() throws Exception {
        Path dump = directoryDump();
        Path local = Files.createDirectories(sandbox.dir.resolve("local-dumps"));
        Path dir = Files.createDirectories(local.resolve("ldirdb.2026-11-24.dump"));
        try (var files = Files.list(dump)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, dir.resolve(f.getFileName()));
        }
        Files.createDirectories(local.resolve("ldirdb.2026-11-25.dump")); // no toc.dat: not a dump
        org.pgstaging.testkit.HttpServerProcess.makeWorldReadable(local);
        Path ini = sandbox.writeConfig("ldirdb", "restore_jobs = 2");
        Files.writeString(ini, Files.readString(ini).replace("backup_base_url = /ldirdb/",
                "backup_base_url = " + local.toUri()));
        StagingService s = new StagingService(ConfigLoader.load(ini), EngineOptions.defaults(), e -> { });

        assertThat(s.restore("ldirdb.dev", DateSpec.latest(), null).database()).isEqualTo("ldirdb_20261124");

        assertRestoredFixture("ldirdb_20261124");
        assertThat(dir.resolve("toc.dat")).as("the source's own dump is never removed").exists();
        assertThat(tmpFiles("ldirdb")).isEmpty();
    }

    private Path directoryDump() {
        SourceDump.custom(); // creates the fixture database
        Path parent = org.pgstaging.testkit.TempDirs.owned("pgstaging-dir-dump");
        Path out = parent.resolve("dump");
        sandbox.pg.pgDump("fixture_source", out, "d");
        return out;
    }

    // ---- helpers ---------------------------------------------------------------------------

    @Test
    void rangesLoadEachTablesDataAsItArrivesAndRestoreWhatAFileRestores() throws Exception {
        sandbox.publishDump("rngdb", NEW);
        sandbox.publishDump("rngref", NEW);
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
        service("rngref", e -> { }, "restore_mode = file").restore("rngref.dev", DateSpec.latest(), null);
        // without a local copy: on loopback every block would be in it before pre-data is done, and
        // the data would go to one pg_restore -j (everyBlockHereBeforeTheLoads... below)
        StagingService s = service("rngdb", events::add, "restore_mode = ranges", "restore_jobs = 3", "fetch_ahead = False");

        RestoreResult r = s.restore("rngdb.dev", DateSpec.latest(), null);

        assertThat(r.switched()).isTrue();
        assertRestoredFixture("rngdb_20261124");
        assertThat(DatabaseSnapshot.of(sandbox.pg, "rngdb_20261124"))
                .as("block by block, the same database as pg_restore of the downloaded file")
                .isEqualTo(DatabaseSnapshot.of(sandbox.pg, "rngref_20261124"));
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.StepStarted st && st.step() == Step.DOWNLOAD
                && st.detail().contains("block by block") && st.detail().contains("restore_mode = ranges"));
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.StepProgress p && p.step() == Step.PG_RESTORE
                && p.unit().equals("tables") && p.done() == p.total() && p.total() > 3);
        // each table's keys and indexes as soon as its data is in, each foreign key as soon as both its
        // tables' data and the key it references are in: 7 keys, 1 index, 2 foreign keys, none left for post-data
        assertBuiltBeforePostData(events, 10);
        // the catalog read from the head's ranges (closed early, its bytes kept as the head), then ranges of the kept data blocks
        String path = "/rngdb/rngdb.2026-11-24.dump";
        List<String> log = sandbox.http.accessLogLines().stream().filter(l -> l.contains("\"GET " + path + " ")).toList();
        assertThat(log).as("every request a range").allMatch(l -> l.contains("\" 206 ") && l.contains("\"bytes="));
        assertThat(log).hasSizeGreaterThan(3);
        assertThat(log.stream().filter(l -> l.contains("\"bytes=0-"))).as("the head is fetched once").hasSize(1);
        assertThat(tmpFiles("rngdb")).as("no dump, no list, no head left in tmpdir").isEmpty();
    }

    @Test
    void rangesRestoreLargeObjectsFromAnUncompressedDumpAsAFileRestoreDoes() throws Exception {
        // a large object over several of the copy's chunks, and a small binary one
        Path dump = fixtureWithLargeObjects("blobs", "repeat(md5(random()::text), 150000)", "c", "--compress=0");
        sandbox.publish("blobrng", "blobrng.2026-11-24.dump", dump);
        sandbox.publish("blobref", "blobref.2026-11-24.dump", dump);
        service("blobref", e -> { }, "restore_mode = file").restore("blobref.dev", DateSpec.latest(), null);
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());

        service("blobrng", events::add, "restore_mode = ranges", "restore_jobs = 2").restore("blobrng.dev", DateSpec.latest(), null);

        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.StepStarted st && st.step() == Step.DOWNLOAD
                && st.detail().contains("block by block"));
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.Detail d && d.line().contains("fetched ahead into"));
        assertThat(DatabaseSnapshot.of(sandbox.pg, "blobrng_20261124"))
                .isEqualTo(DatabaseSnapshot.of(sandbox.pg, "blobref_20261124"));
        String objects = "SELECT count(*) || ' ' || string_agg(md5(lo_get(oid)), ',' ORDER BY oid) FROM pg_largeobject_metadata";
        assertThat(one("blobrng_20261124", objects)).startsWith("2 ").isEqualTo(one("blobref_20261124", objects));
        assertThat(tmpFiles("blobrng")).isEmpty();
    }

    /**
     * 200 small tables, each with a primary key, a unique constraint and an index, every second one
     * with a foreign key to the one before: loaded in one group, their 700 indexes and keys built
     * by a few pg_restore runs rather than one each.
     */
    @Test
    void rangesLoadAndBuildManySmallTablesTogetherNotOneProcessEach() throws Exception {
        Path dump = dumpOfNewDatabase("many_src", "DO $$ BEGIN FOR i IN 1..200 LOOP "
                + "EXECUTE format('CREATE TABLE %I (id int PRIMARY KEY, code text UNIQUE, v text, parent int)', 'small_' || i); "
                + "EXECUTE format('CREATE INDEX ON %I (v)', 'small_' || i); "
                + "EXECUTE format('INSERT INTO %I SELECT g, %L || g, md5((g * %s)::text), g FROM generate_series(1, 20) g',"
                + " 'small_' || i, i || '-', i); "
                + "IF i % 2 = 0 THEN EXECUTE format('ALTER TABLE %I ADD FOREIGN KEY (parent) REFERENCES %I (id)',"
                + " 'small_' || i, 'small_' || (i - 1)); END IF; "
                + "END LOOP; END $$");
        sandbox.publish("manydb", "manydb.2026-11-24.dump", dump);
        sandbox.publish("manyref", "manyref.2026-11-24.dump", dump);
        service("manyref", e -> { }, "restore_mode = file", "schemas = public").restore("manyref.dev", DateSpec.latest(), null);
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());

        // without a local copy, so that the blocks load as they arrive (see rangesLoadEachTablesData...)
        service("manydb", events::add, "restore_mode = ranges", "restore_jobs = 2", "schemas = public", "fetch_ahead = False")
                .restore("manydb.dev", DateSpec.latest(), null);

        assertThat(DatabaseSnapshot.of(sandbox.pg, "manydb_20261124"))
                .as("200 tables loaded and built in groups, the same database as pg_restore of the file")
                .isEqualTo(DatabaseSnapshot.of(sandbox.pg, "manyref_20261124"));
        String indexes = "SELECT tablename || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'";
        String constraints = "SELECT conrelid::regclass || ' ' || convalidated || ' ' || pg_get_constraintdef(oid)"
                + " FROM pg_constraint WHERE connamespace = 'public'::regnamespace";
        assertThat(rows("manydb_20261124", indexes)).hasSize(600).isEqualTo(rows("many_src", indexes));
        assertThat(rows("manydb_20261124", constraints)).hasSize(500).allMatch(c -> c.contains(" true "))
                .isEqualTo(rows("many_src", constraints));
        assertThat(rows("manydb_20261124", "SELECT indexrelid::regclass::text FROM pg_index"
                + " WHERE indrelid::regclass::text LIKE 'small%' AND NOT (indisvalid AND indisready)")).isEmpty();
        sandbox.pg.dropDatabase("many_src");

        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.Detail d && d.step() == Step.DOWNLOAD
                && d.line().startsWith("small tables loaded together: 1 loads for 200 blocks"));
        String path = "/manydb/manydb.2026-11-24.dump";
        List<String> ranged = sandbox.http.accessLogLines().stream()
                .filter(l -> l.contains("\"GET " + path + " ") && l.contains("\" 206 ")).toList();
        List<Long> starts = ranged.stream().map(FastRestoreEndToEndTest::rangeStart).toList();
        assertThat(starts).as("the 300 KB catalog read over two connections, in 256 KB ranges: " + ranged)
                .contains(0L, 262_144L);
        assertThat(starts.stream().filter(at -> at % 262_144 != 0)).as("then one range for the 200 tables: " + ranged).hasSize(1);
        assertThat(assertBuiltBeforePostData(events, 700)).as("a few pg_restore runs for 700 builds").hasSizeLessThanOrEqualTo(10);
    }

    /**
     * Tables of every shape whose indexes and keys the block path builds early or leaves to
     * post-data: a partitioned table (its partitions' keys and indexes attached to the parent's), an
     * inherited one, a foreign key on a unique index rather than a constraint, a self-reference, a
     * deferrable unique key, an exclusion constraint, partial, covering and expression indexes, a
     * clustered index, constraints NOT VALID, an unlogged table, identity and generated columns.
     * Loaded block by block and from the whole local copy, each restore holds what a plain restore
     * of the downloaded file holds, index and constraint definitions included.
     */
    @Test
    void rangesRestoreTablesOfEveryShapeAsAFileRestoreDoes() throws Exception {
        Path dump = dumpOfNewDatabase("shapes_src", String.join("\n",
                "CREATE SCHEMA shapes;",
                "CREATE TABLE shapes.events (id int, at date, kind text, payload text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);",
                "CREATE TABLE shapes.events_2025 PARTITION OF shapes.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
                "CREATE TABLE shapes.events_2026 PARTITION OF shapes.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
                "CREATE TABLE shapes.events_other PARTITION OF shapes.events DEFAULT;",
                "CREATE INDEX events_kind ON shapes.events (kind);",
                "INSERT INTO shapes.events SELECT g, date '2024-12-01' + (g % 800), 'k' || (g % 7), md5(g::text)"
                        + " FROM generate_series(1, 30000) g;",
                "CREATE TABLE shapes.base (id int PRIMARY KEY, v text);",
                "CREATE TABLE shapes.child (extra int) INHERITS (shapes.base);",
                "ALTER TABLE shapes.child ADD PRIMARY KEY (id);",
                "CREATE INDEX child_extra ON shapes.child (extra) WHERE extra > 10;",
                "INSERT INTO shapes.base SELECT g, md5(g::text) FROM generate_series(1, 5000) g;",
                "INSERT INTO shapes.child SELECT g, md5(g::text), g % 50 FROM generate_series(5001, 25000) g;",
                "CREATE TABLE shapes.refs (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, code text NOT NULL,"
                        + " doubled int GENERATED ALWAYS AS (id * 2) STORED);",
                "CREATE UNIQUE INDEX refs_code ON shapes.refs (code);",
                "INSERT INTO shapes.refs (code) SELECT 'c' || g FROM generate_series(1, 20000) g;",
                "CREATE TABLE shapes.uses (id int PRIMARY KEY, code text REFERENCES shapes.refs (code), qty int,"
                        + " CONSTRAINT uses_code_qty UNIQUE (code, qty) DEFERRABLE INITIALLY DEFERRED);",
                "INSERT INTO shapes.uses SELECT g, 'c' || (g % 20000 + 1), g FROM generate_series(1, 20000) g;",
                "CREATE INDEX uses_cover ON shapes.uses (code) INCLUDE (qty);",
                "CREATE INDEX uses_lower ON shapes.uses (lower(code));",
                "ALTER TABLE shapes.uses CLUSTER ON uses_cover;",
                "ALTER TABLE shapes.uses ADD CONSTRAINT uses_qty_positive CHECK (qty > 0) NOT VALID;",
                "CREATE TABLE shapes.tree (id int PRIMARY KEY, parent int REFERENCES shapes.tree (id));",
                "INSERT INTO shapes.tree SELECT g, nullif(g / 2, 0) FROM generate_series(1, 20000) g;",
                "CREATE TABLE shapes.booking (id int PRIMARY KEY, during int4range,"
                        + " EXCLUDE USING gist (during WITH &&));",
                "INSERT INTO shapes.booking SELECT g, int4range(g * 10, g * 10 + 5) FROM generate_series(1, 20000) g;",
                "CREATE TABLE shapes.late (id int, ref int);",
                "INSERT INTO shapes.late SELECT g, g FROM generate_series(1, 20000) g;",
                "ALTER TABLE shapes.late ADD CONSTRAINT late_ref FOREIGN KEY (ref) REFERENCES shapes.tree (id) NOT VALID;",
                "CREATE UNLOGGED TABLE shapes.scratch (id int PRIMARY KEY, note text);",
                "INSERT INTO shapes.scratch SELECT g, md5(g::text) FROM generate_series(1, 20000) g;"));
        for (String db : List.of("shaperef", "shapeblk", "shapecpy")) sandbox.publish(db, db + ".2026-11-24.dump", dump);
        service("shaperef", e -> { }, "restore_mode = file", "schemas = shapes").restore("shaperef.dev", DateSpec.latest(), null);
        List<RestoreEvent> blocks = Collections.synchronizedList(new ArrayList<>());
        List<RestoreEvent> copied = Collections.synchronizedList(new ArrayList<>());

        // block by block (no local copy: loopback would have every block in it before pre-data), and from the copy
        service("shapeblk", blocks::add, "restore_mode = ranges", "restore_jobs = 2", "schemas = shapes", "fetch_ahead = False")
                .restore("shapeblk.dev", DateSpec.latest(), null);
        service("shapecpy", copied::add, "restore_mode = ranges", "restore_jobs = 2", "schemas = shapes")
                .restore("shapecpy.dev", DateSpec.latest(), null);

        String indexes = "SELECT indexrelid::regclass || ' ' || pg_get_indexdef(indexrelid) || ' valid ' || indisvalid"
                + " || ' ready ' || indisready || ' clustered ' || indisclustered || ' primary ' || indisprimary"
                + " FROM pg_index WHERE indrelid::regclass::text LIKE 'shapes.%'";
        String constraints = "SELECT c.conrelid::regclass || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)"
                + " || ' validated ' || c.convalidated || ' on ' || coalesce(c.conindid::regclass::text, '-')"
                + " || ' parent ' || coalesce((SELECT p.conname FROM pg_constraint p WHERE p.oid = c.conparentid), '-')"
                + " FROM pg_constraint c WHERE c.connamespace = 'shapes'::regnamespace";
        String tree = "SELECT inhrelid::regclass || ' of ' || inhparent::regclass FROM pg_inherits"
                + " UNION ALL SELECT oid::regclass || ' ' || relpersistence::text || ' ' || relkind::text FROM pg_class"
                + " WHERE relnamespace = 'shapes'::regnamespace";
        List<String> reference = rows("shaperef_20261124", indexes);
        assertThat(reference).as("the reference itself").hasSizeGreaterThan(15)
                .anyMatch(l -> l.contains("uses_cover") && l.contains("clustered true"))
                .anyMatch(l -> l.startsWith("shapes.events_2026_kind_idx ") && l.contains("valid true"));
        for (String db : List.of("shapeblk_20261124", "shapecpy_20261124")) {
            assertThat(DatabaseSnapshot.of(sandbox.pg, db)).as(db).isEqualTo(DatabaseSnapshot.of(sandbox.pg, "shaperef_20261124"));
            assertThat(rows(db, indexes)).as(db + ": indexes").isEqualTo(reference);
            assertThat(rows(db, constraints)).as(db + ": constraints").isEqualTo(rows("shaperef_20261124", constraints));
            assertThat(rows(db, tree)).as(db + ": inheritance, partitions, persistence")
                    .isEqualTo(rows("shaperef_20261124", tree));
        }
        assertThat(rows("shapeblk_20261124", constraints)).as("what was NOT VALID stays so")
                .anyMatch(l -> l.contains("uses_qty_positive") && l.contains("validated false"))
                .anyMatch(l -> l.contains("late_ref") && l.contains("validated false"));
        assertThat(detailLines(blocks)).as("loaded block by block, some keys built early")
                .anyMatch(l -> l.startsWith("loaded "))
                .anyMatch(l -> l.startsWith("built "));
        sandbox.pg.dropDatabase("shapes_src");
        assertThat(tmpFiles("shapeblk")).isEmpty();
        assertThat(tmpFiles("shapecpy")).isEmpty();
    }

    /**
     * The restore log's lines for the builds run while data still loads (one index or key each, or
     * a batch of small tables'): they hold {@code items} in all, as the closing summary says.
     */
    private static List<String> assertBuiltBeforePostData(List<RestoreEvent> events, long items) {
        List<String> builds = events.stream().filter(e -> e instanceof RestoreEvent.Detail d && d.step() == Step.PG_RESTORE
                && d.line().startsWith("built ")).map(e -> ((RestoreEvent.Detail) e).line()).toList();
        java.util.regex.Pattern batch = java.util.regex.Pattern.compile("^built (\\d+) indexes and keys of ");
        assertThat(builds.stream().mapToLong(l -> {
            java.util.regex.Matcher m = batch.matcher(l);
            return m.find() ? Long.parseLong(m.group(1)) : 1;
        }).sum()).as("indexes and keys in\n" + String.join("\n", builds)).isEqualTo(items);
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.Detail d && d.step() == Step.PG_RESTORE
                && d.line().contains("data blocks and the " + items + " indexes and keys built with them"));
        return builds;
    }

    private List<String> rows(String db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = sandbox.pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        out.sort(null);
        return out;
    }

    @Test
    void rangesFetchOneBigTableOverSeveralConnections() throws Exception {
        sandbox.pg.execute("postgres", "DROP DATABASE IF EXISTS bigrng_src");
        sandbox.pg.execute("postgres", "CREATE DATABASE bigrng_src");
        sandbox.pg.execute("bigrng_src", "CREATE TABLE big AS SELECT g AS id, md5(g::text) || md5((g + 1)::text)"
                + " || md5((g + 2)::text) AS filler FROM generate_series(1, 450000) g");
        sandbox.pg.execute("bigrng_src", "ALTER TABLE big ADD PRIMARY KEY (id)");
        Path dump = sandbox.dir.resolve("bigrng_src.dump");
        sandbox.pg.pgDump("bigrng_src", dump, "c");
        sandbox.pg.dropDatabase("bigrng_src");
        sandbox.publish("bigrngdb", "bigrngdb.2026-11-24.dump", dump);
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());

        // restore_mode = auto: with restore_jobs above 1 and an HTTP source, ranges
        service("bigrngdb", events::add, "restore_jobs = 2", "download_connections = 3")
                .restore("bigrngdb.dev", DateSpec.latest(), null);

        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.StepStarted st && st.step() == Step.DOWNLOAD
                && st.detail().contains("[ranges (restore_mode = auto: restore_jobs = 2 and an HTTP source)]"));
        try (Connection c = sandbox.pg.connect("bigrngdb_20261124"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), sum(id) FROM big")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(450_000L);
            assertThat(rs.getLong(2)).isEqualTo(450_000L * 450_001L / 2);
        }
        assertThat(count(sandbox.pg.connect("bigrngdb_20261124").createStatement(),
                "SELECT count(*) FROM pg_constraint WHERE conname = 'big_pkey'")).isOne();
        String path = "/bigrngdb/bigrngdb.2026-11-24.dump";
        long chunks = (Files.size(dump) + org.pgstaging.backup.RangedFile.CHUNK_BYTES - 1) / org.pgstaging.backup.RangedFile.CHUNK_BYTES;
        List<String> ranged = sandbox.http.accessLogLines().stream()
                .filter(l -> l.contains("\"GET " + path + " ") && l.contains("\" 206 ")).toList();
        // the head came with the catalog's GET: the block, which is all of the dump but its head, comes in 2 MB chunks
        assertThat(ranged.size()).as("the one table's block in 2 MB chunks").isGreaterThanOrEqualTo((int) chunks - 1);
    }

    @Test
    void rangesFallBackToAFileForADumpWrittenToAPipe() throws Exception {
        // the fixture, dumped again to stdout: pg_dump cannot go back to record where each table's data lies
        Path fixturePiped = sandbox.dir.resolve("fixture-piped.dump");
        sandbox.pg.execute("postgres", "DROP DATABASE IF EXISTS piped_src");
        sandbox.pg.execute("postgres", "CREATE DATABASE piped_src");
        Process restore = new ProcessBuilder(sandbox.pg.binDir().resolve("pg_restore").toString(), "-h", "127.0.0.1",
                "-p", Integer.toString(sandbox.pg.port()), "-U", "postgres", "-d", "piped_src", SourceDump.custom().toString())
                .redirectErrorStream(true).start();
        restore.getInputStream().readAllBytes();
        restore.waitFor();
        Process again = new ProcessBuilder("sh", "-c", "\"$0\" -Fc -h 127.0.0.1 -p \"$1\" -U postgres piped_src | cat > \"$2\"",
                sandbox.pg.binDir().resolve("pg_dump").toString(), Integer.toString(sandbox.pg.port()), fixturePiped.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(again.waitFor()).isZero();
        sandbox.publish("pipedb", "pipedb.2026-11-24.dump", fixturePiped);
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());

        service("pipedb", events::add, "restore_mode = ranges", "restore_jobs = 2").restore("pipedb.dev", DateSpec.latest(), null);

        assertRestoredFixture("pipedb_20261124");
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.Detail d && d.step() == Step.CATALOG
                && d.line().contains("restoring from a downloaded file") && d.line().contains("pg_dump wrote it to a pipe"));
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.StepStarted st && st.step() == Step.DOWNLOAD
                && st.detail().contains("restore_mode = ranges fell back"));
    }

    @Test
    void aBrokenRangeIsFetchedAgainFromWhereItBrokeAndTheRestoreCompletes() throws Exception {
        List<RestoreEvent> events = restoreThroughACutRange("brkdb");

        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.Detail d && d.step() == Step.CATALOG
                && d.line().contains("fetched ahead into"));
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.Detail d && d.step() == Step.DOWNLOAD
                && d.line().contains("broke") && d.line().contains("fetching them again, attempt 2 of 3"));
        assertThat(tmpFiles("brkdb")).as("no local copy, head or list left in tmpdir").isEmpty();
    }

    @Test
    void rangesFetchAheadFromTheCatalogOnAndAFailureBeforeTheLoadsStopsItWithNothingLeft() throws Exception {
        sandbox.publishDump("earlydb", NEW);
        Path sql = Files.createDirectories(sandbox.dir.resolve("earlysql/earlydb.dev/pre"));
        // pre SQL runs after CREATE DATABASE and before any load: long enough for the blocks to come, then it fails
        Files.writeString(sql.resolve("00-slow-then-broken.sql"), "SELECT pg_sleep(2);\nSELECT * FROM no_such_table;\n");
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
        StagingService s = service("earlydb", events::add, "restore_mode = ranges", "restore_jobs = 2",
                "sql_path = " + sandbox.dir.resolve("earlysql"));

        assertThatThrownBy(() -> s.restore("earlydb.dev", DateSpec.latest(), null))
                .isInstanceOfSatisfying(RestoreFailedException.class, e -> {
                    assertThat(e.step()).as(e.getMessage()).isEqualTo(Step.PRE_SQL);
                    assertThat(e.cleanup()).contains("dropped database earlydb_20261124");
                });

        List<String> ranged = sandbox.http.accessLogLines().stream()
                .filter(l -> l.contains("\"GET /earlydb/earlydb.2026-11-24.dump ") && l.contains("\" 206 ")).toList();
        assertThat(ranged).as("data blocks fetched before pre SQL ended").isNotEmpty();
        int fetchAhead = indexOf(events, e -> e instanceof RestoreEvent.Detail d && d.line().contains("fetched ahead into"));
        int create = indexOf(events, e -> e instanceof RestoreEvent.StepStarted st && st.step() == Step.CREATE_DATABASE);
        assertThat(fetchAhead).as("fetching ahead starts with the catalog read").isNotNegative().isLessThan(create);
        assertThat(Thread.getAllStackTraces().keySet()).as("the fetchers stopped")
                .noneMatch(t -> t.getName().startsWith("dump-spool-") && t.isAlive());
        assertThat(tmpFiles("earlydb")).as("no local copy, head or list left in tmpdir").isEmpty();
        assertThat(sandbox.databaseExists("earlydb_20261124")).isFalse();
    }

    @Test
    void fetchedAheadBytesAreTheDownloadsProgressAsTheyLandNotAsTheLoadsTakeThem() throws Exception {
        sandbox.publishDump("landdb", NEW);
        Path sql = Files.createDirectories(sandbox.dir.resolve("landsql/landdb.dev/pre"));
        // the blocks have time to land while pre SQL runs, before any load starts
        Files.writeString(sql.resolve("00-slow.sql"), "SELECT pg_sleep(1.5);\n");
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());

        service("landdb", events::add, "restore_mode = ranges", "restore_jobs = 2",
                "sql_path = " + sandbox.dir.resolve("landsql")).restore("landdb.dev", DateSpec.latest(), null);

        assertRestoredFixture("landdb_20261124");
        List<RestoreEvent.StepProgress> download;
        synchronized (events) {
            download = events.stream().filter(e -> e instanceof RestoreEvent.StepProgress p && p.step() == Step.DOWNLOAD)
                    .map(e -> (RestoreEvent.StepProgress) e).toList();
        }
        assertThat(download).isNotEmpty();
        long total = download.get(0).total();
        assertThat(download.get(0).done()).as("every block was in the local copy when the loads started: " + download)
                .isEqualTo(total);
        assertThat(download).allMatch(p -> p.done() <= p.total() && p.total() == total);
        int started = indexOf(events, e -> e instanceof RestoreEvent.StepStarted st && st.step() == Step.DOWNLOAD);
        int first = indexOf(events, e -> e instanceof RestoreEvent.StepProgress p && p.step() == Step.DOWNLOAD);
        assertThat(first).as("no download progress during the steps before the loads").isGreaterThan(started);
    }

    /**
     * A link faster than the server: every block is in the local copy before pre-data is done, so
     * the data and post-data go to one pg_restore -j reading the copy (its workers keep their
     * connections), which restores what a downloaded file's restore does; nothing is left behind.
     */
    @Test
    void everyBlockHereBeforeTheLoadsIsRestoredByOnePgRestoreFromTheLocalCopy() throws Exception {
        sandbox.publishDump("wholedb", NEW);
        sandbox.publishDump("wholeref", NEW);
        service("wholeref", e -> { }, "restore_mode = file").restore("wholeref.dev", DateSpec.latest(), null);
        Path sql = Files.createDirectories(sandbox.dir.resolve("wholesql/wholedb.dev/pre"));
        // time for every block to land before the loads would start
        Files.writeString(sql.resolve("00-slow.sql"), "SELECT pg_sleep(1);\n");
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());

        service("wholedb", events::add, "restore_mode = ranges", "restore_jobs = 2",
                "sql_path = " + sandbox.dir.resolve("wholesql")).restore("wholedb.dev", DateSpec.latest(), null);

        assertThat(DatabaseSnapshot.of(sandbox.pg, "wholedb_20261124"))
                .isEqualTo(DatabaseSnapshot.of(sandbox.pg, "wholeref_20261124"));
        List<String> details = detailLines(events);
        assertThat(details).as(String.join("\n", details))
                .anyMatch(l -> l.startsWith("every data block was fetched before pre-data was done") && l.contains("pg_restore -j 2"))
                .noneMatch(l -> l.startsWith("loaded ") || l.startsWith("built "))
                .anyMatch(l -> l.contains("--section=pre-data") && l.contains(".wholedb_20261124.head"))
                .anyMatch(l -> l.contains("--section=data --section=post-data --jobs=2") && l.contains(".wholedb_20261124.spool"));
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.StepProgress p && p.step() == Step.PG_RESTORE
                && p.unit().equals("tables") && p.done() == p.total() && p.total() > 3);
        assertThat(tmpFiles("wholedb")).as("no local copy, head or list left in tmpdir").isEmpty();
    }

    @Test
    void aTmpdirWithoutRoomForTheDumpStreamsEachBlockThroughMemory() throws Exception {
        Path small = Files.createDirectories(sandbox.dir.resolve("smalltmp"));
        // a tmpdir of 8 MB, far below the room a local copy asks for (the dump and 256 MB)
        boolean mounted;
        try {
            org.pgstaging.testkit.Unprivileged.run(List.of("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", small.toString()), null, 30);
            mounted = true;
        } catch (IllegalStateException e) {
            mounted = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(mounted, "needs mount(8) for a small tmpfs (root with CAP_SYS_ADMIN)");
        try {
            sandbox.publishDump("roomdb", NEW);
            sandbox.publishDump("roomref", NEW);
            service("roomref", e -> { }, "restore_mode = file").restore("roomref.dev", DateSpec.latest(), null);
            List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());

            service("roomdb", events::add, "restore_mode = ranges", "restore_jobs = 2", "tmpdir = " + small)
                    .restore("roomdb.dev", DateSpec.latest(), null);

            assertThat(DatabaseSnapshot.of(sandbox.pg, "roomdb_20261124"))
                    .isEqualTo(DatabaseSnapshot.of(sandbox.pg, "roomref_20261124"));
            List<String> details = detailLines(events);
            assertThat(details).as(String.join("\n", details))
                    .anyMatch(l -> l.startsWith("tmpdir " + small + " has ") && l.contains(" free, less than the dump's ")
                            && l.endsWith("each block streams through memory instead of being fetched ahead"))
                    .noneMatch(l -> l.contains(".spool"))
                    .anyMatch(l -> l.startsWith("loaded "));
            try (var left = Files.list(small)) {
                assertThat(left.toList()).as("nothing left in tmpdir").isEmpty();
            }
        } finally {
            org.pgstaging.testkit.Unprivileged.run(List.of("umount", small.toString()), null, 30);
        }
    }

    @Test
    void aCopyWholeWhileATableLoadsHandsTheRestToPgRestoreOnceTheLoadIsDone() throws Exception {
        Path dump = publishWithUnfilteredReference("handdb", "handref");
        Path copy = sandbox.tmpdir.resolve(".handdb_20261124.spool");
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Throwable> lockFailed = new java.util.concurrent.atomic.AtomicReference<>();
        // billing.invoices is locked as soon as pre-data creates it, until every block is in the copy:
        // its load is then under way (waiting) when the copy becomes whole; the rest goes to pg_restore -j
        // only once it is done (until its COPY holds the lock, a trigger created first would fire on its rows)
        Thread holder = new Thread(() -> {
            try (Connection c = sandbox.pg.connect("handdb_20261124")) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    while (true) {
                        try (ResultSet rs = st.executeQuery("SELECT to_regclass('billing.invoices') IS NOT NULL")) {
                            rs.next();
                            if (rs.getBoolean(1)) break;
                        }
                        c.rollback();
                        Thread.sleep(20);
                    }
                    st.execute("LOCK TABLE billing.invoices IN SHARE MODE");
                    locked.countDown();
                    awaitSameBytes(copy, dump);
                    Thread.sleep(1000);
                }
                c.rollback();
            } catch (Throwable t) {
                lockFailed.set(t);
                locked.countDown();
            }
        }, "invoices-lock");
        RestoreListener lockInvoices = e -> {
            events.add(e);
            if (e instanceof RestoreEvent.Detail d && d.line().contains("creating TABLE \"billing.invoices\"") && !holder.isAlive()) {
                holder.start();
                try {
                    locked.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        };

        try (NginxServer slow = NginxServer.startLimitingRanges(sandbox.docroot, 6144)) {
            service("handdb", lockInvoices, concat(EVERYTHING, "restore_mode = ranges", "restore_jobs = 2",
                    "backup_host = 127.0.0.1:" + slow.port())).restore("handdb.dev", DateSpec.latest(), null);
        }
        holder.join();

        assertThat(lockFailed.get()).isNull();
        assertThat(DatabaseSnapshot.of(sandbox.pg, "handdb_20261124"))
                .isEqualTo(DatabaseSnapshot.of(sandbox.pg, "handref_20261124"));
        List<String> details = detailLines(events);
        int handOver = details.size() - 1;
        while (handOver >= 0 && !details.get(handOver).startsWith("every data block is in ")) handOver--;
        assertThat(handOver).as(String.join("\n", details)).isNotNegative();
        String said = details.get(handOver);
        assertThat(said).contains("now: what is left goes to one pg_restore -j 2 reading it, as from a downloaded dump");
        assertThat(details.subList(0, handOver)).as("the load under way ends first")
                .anyMatch(l -> l.startsWith("loaded ") && l.contains("billing.invoices") || l.startsWith("loaded 11 small tables"));
        assertThat(details.subList(handOver, details.size()))
                .anyMatch(l -> l.contains("--section=data --section=post-data --jobs=2") && l.contains(".handdb_20261124.rest.list"))
                .noneMatch(l -> l.startsWith("loaded ") || l.contains(".post.list"));
        // a build a worker took meanwhile finishes on its own, and what needs it follows in a second pg_restore
        assertThat(details.stream().anyMatch(l -> l.contains(".handdb_20261124.after.list"))).isEqualTo(said.contains(", then the "));
        assertThat(tmpFiles("handdb")).as("no local copy, head or list left in tmpdir").isEmpty();
    }

    /** Section lines that restore every schema and all data: each data block is fetched, the copy whole when it holds the whole dump. */
    private static final String[] EVERYTHING = {"schemas =", "schemas_nodata =", "tablename_nodata_regexp ="};

    /** Publishes the fixture's dump as {@code dbname} and {@code reference}, restores the reference (file mode, unfiltered); the dump. */
    private Path publishWithUnfilteredReference(String dbname, String reference) {
        Path dump = sandbox.publishDump(dbname, NEW);
        sandbox.publishDump(reference, NEW);
        service(reference, e -> { }, concat(EVERYTHING, "restore_mode = file")).restore(reference + ".dev", DateSpec.latest(), null);
        return dump;
    }

    private static List<String> detailLines(List<RestoreEvent> events) {
        synchronized (events) {
            return events.stream().filter(e -> e instanceof RestoreEvent.Detail).map(e -> ((RestoreEvent.Detail) e).line()).toList();
        }
    }

    /** Waits (60 s at most) until {@code copy} holds the bytes of {@code dump}, then a little longer for its bookkeeping. */
    private static void awaitSameBytes(Path copy, Path dump) {
        try {
            byte[] want = Files.readAllBytes(dump);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!(Files.exists(copy) && java.util.Arrays.equals(Files.readAllBytes(copy), want))) {
                if (System.nanoTime() > deadline) throw new AssertionError(copy + " never held every block of " + dump);
                Thread.sleep(50);
            }
            Thread.sleep(500);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String[] concat(String[] a, String... b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new);
    }

    /**
     * The fixture database with two large objects, the first the text of {@code bigObject} (an SQL
     * expression), the second four binary bytes, dumped by {@code pg_dump -F format options}; the
     * source is dropped.
     */
    private Path fixtureWithLargeObjects(String name, String bigObject, String format, String... options) {
        SourceDump.custom(); // creates the fixture database
        String source = name + "_src";
        sandbox.pg.execute("postgres", "DROP DATABASE IF EXISTS " + source);
        sandbox.pg.execute("postgres", "CREATE DATABASE " + source + " TEMPLATE fixture_source");
        sandbox.pg.execute(source, "SELECT lo_from_bytea(0, convert_to(" + bigObject + ", 'UTF8'))");
        sandbox.pg.execute(source, "SELECT lo_from_bytea(0, '\\x00ff00ff'::bytea)");
        Path dump = org.pgstaging.testkit.TempDirs.owned("pgstaging-" + name).resolve("dump");
        sandbox.pg.pgDump(source, dump, format, options);
        sandbox.pg.dropDatabase(source);
        return dump;
    }

    /** A new database {@code name} made by {@code sql}, and its custom-format dump (the caller drops the database). */
    private Path dumpOfNewDatabase(String name, String sql) {
        sandbox.pg.execute("postgres", "DROP DATABASE IF EXISTS " + name);
        sandbox.pg.execute("postgres", "CREATE DATABASE " + name);
        sandbox.pg.execute(name, sql);
        Path dump = sandbox.dir.resolve(name + ".dump");
        sandbox.pg.pgDump(name, dump, "c");
        return dump;
    }

    /** Where the range of an access log line starts ({@code "bytes=FROM-TO"} at its end). */
    private static long rangeStart(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"bytes=(\\d+)-").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static int indexOf(List<RestoreEvent> events, java.util.function.Predicate<RestoreEvent> what) {
        synchronized (events) {
            for (int i = 0; i < events.size(); i++) if (what.test(events.get(i))) return i;
        }
        return -1;
    }

    @Test
    void withoutFetchAheadABrokenBlockIsLoadedAgainAndTheRestoreCompletes() throws Exception {
        List<RestoreEvent> events = restoreThroughACutRange("brkmem", "fetch_ahead = False");

        assertThat(events).noneMatch(e -> e instanceof RestoreEvent.Detail d && d.line().contains("fetched ahead"));
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.Detail d && d.step() == Step.DOWNLOAD
                && d.line().contains("the range of") && d.line().contains("fetching it again, attempt 2 of 3"));
    }

    /**
     * A ranges restore of the fixture whose first block request is cut short: requests are 1
     * catalog, 2 head, 3.. blocks (largest first, fetched ahead or as each loads). Returns its events.
     */
    private List<RestoreEvent> restoreThroughACutRange(String dbname, String... options) throws Exception {
        sandbox.publishDump(dbname, NEW);
        String path = "/" + dbname + "/" + dbname + ".2026-11-24.dump";
        try (CuttingProxy proxy = new CuttingProxy(sandbox.http.port(), path, n -> n == 3, 200)) {
            List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
            List<String> all = new ArrayList<>(List.of("backup_host = " + proxy.hostAndPort(),
                    "restore_mode = ranges", "restore_jobs = 1"));
            all.addAll(List.of(options));
            service(dbname, events::add, all.toArray(String[]::new)).restore(dbname + ".dev", DateSpec.latest(), null);

            assertThat(proxy.cuts()).isEqualTo(1);
            assertRestoredFixture(dbname + "_20261124");
            return events;
        }
    }

    private void assertRestoredFixture(String db) throws SQLException {
        try (Connection c = sandbox.pg.connect(db); Statement st = c.createStatement()) {
            assertThat(count(st, "SELECT count(*) FROM pg_namespace WHERE nspname = 'pgq'")).isZero();
            assertThat(count(st, "SELECT count(*) FROM app.event_log")).isZero();
            assertThat(count(st, "SELECT count(*) FROM app.customers")).isPositive();
            assertThat(count(st, "SELECT count(*) FROM \"données\".\"Ünïcode table\"")).isPositive();
            assertThat(count(st, "SELECT count(*) FROM pg_trigger WHERE tgname = 'invoices_replicate'")).isZero();
            assertThat(count(st, "SELECT count(*) FROM pg_trigger WHERE tgname = 'invoices_updated_at'")).isOne();
        }
    }

    private String one(String db, String sql) throws SQLException {
        try (Connection c = sandbox.pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private List<String> tmpFiles(String dbname) throws java.io.IOException {
        try (var files = Files.list(sandbox.tmpdir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.contains(dbname)).sorted().toList();
        }
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
