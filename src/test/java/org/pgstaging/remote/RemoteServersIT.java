package org.pgstaging.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.job.DatabaseInfo;
import org.pgstaging.job.DatabaseSize;
import org.pgstaging.job.EngineOptions;
import org.pgstaging.job.RestoreResult;
import org.pgstaging.job.StagingService;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.testkit.RemoteStaging;
import org.pgstaging.testkit.Unprivileged;

/**
 * Every operation on two database servers reached over SSH (127.0.0.2 and 127.0.0.3, each with its
 * own PostgreSQL and pgbouncer), through the real sshd, sudo and the pgstaging-client of the Debian
 * package this build made. Each test uses its own dbname.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteServersIT {
    private static final LocalDate OLD = LocalDate.of(2026, 11, 20);
    private static final LocalDate NEW = LocalDate.of(2026, 11, 24);

    private RemoteStaging env;

    @BeforeAll
    void start() {
        assumeTrue(Unprivileged.isRoot(), "remote servers need root: dpkg -i of the package, sshd");
        env = RemoteStaging.shared();
    }

    private StagingService service(String ini, List<RestoreEvent> events) {
        return new StagingService(ConfigLoader.load(env.writeConfig("pgstaging.ini", ini)), EngineOptions.defaults(),
                events == null ? null : events::add);
    }

    @Test
    void everyOperationWorksOnBothServersInConsoleMode() throws Exception {
        env.publishDump("conso", OLD);
        env.publishDump("conso", NEW);
        String ini = env.defaults() + env.section("conso.a", env.a, "conso") + env.section("conso.b", env.b, "conso");
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
        StagingService s = service(ini, events);

        RestoreResult ra = s.restore("conso.a", DateSpec.parse(OLD.toString()), null);
        RestoreResult rb = s.restore("conso.b", DateSpec.latest(), null);
        assertThat(ra.switched()).isTrue();
        assertThat(env.a.aliasTarget("conso")).isEqualTo("conso_20261120");
        assertThat(env.b.aliasTarget("conso")).isEqualTo("conso_20261124");
        assertThat(env.a.databaseExists("conso_20261124")).as("b's restore stays on b").isFalse();
        assertThat(rb.database()).isEqualTo("conso_20261124");

        s.restore("conso.a", DateSpec.latest(), null);
        assertThat(env.a.aliasTarget("conso")).isEqualTo("conso_20261124");
        assertThat(s.databases("conso.a")).extracting(DatabaseInfo::database, DatabaseInfo::active)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("conso_20261120", false),
                        org.assertj.core.groups.Tuple.tuple("conso_20261124", true));

        assertThat(s.switchTo("conso.a", DateSpec.oldest())).isEqualTo("conso_20261120");
        assertThat(env.a.aliasTarget("conso")).isEqualTo("conso_20261120");
        assertThat(env.a.pgbouncerIni()).startsWith(org.pgstaging.testkit.PgbouncerServer.COMMENT_LINE)
                .contains("[users]").contains("conso = dbname=conso_20261120 host=127.0.0.2");

        List<DatabaseSize> sizes = s.dbsizes(List.of("conso.a", "conso.b"));
        assertThat(sizes).extracting(DatabaseSize::section, DatabaseSize::database).containsExactly(
                org.assertj.core.groups.Tuple.tuple("conso.a", "conso_20261120"),
                org.assertj.core.groups.Tuple.tuple("conso.a", "conso_20261124"),
                org.assertj.core.groups.Tuple.tuple("conso.b", "conso_20261124"));
        assertThat(sizes).allSatisfy(z -> assertThat(z.bytes()).isPositive());

        s.pause("conso.a", null);
        assertThat(env.a.bouncer().admin("SHOW DATABASES")).filteredOn(r -> r.get("name").equals("conso"))
                .singleElement().satisfies(r -> assertThat(r.get("paused")).isEqualTo("1"));
        s.resume("conso.a", null);
        assertThat(env.a.aliasTarget("conso")).isEqualTo("conso_20261120");

        assertThatThrownBy(() -> s.drop("conso.a", DateSpec.oldest())).isInstanceOf(PgStagingException.class)
                .hasMessageContaining("the alias conso points to it");
        assertThat(s.drop("conso.a", DateSpec.latest())).isEqualTo("conso_20261124");
        assertThat(env.a.databaseExists("conso_20261124")).isFalse();
        assertThat(env.a.pgbouncerIni()).doesNotContain("conso_20261124");
        assertThat(env.b.databaseExists("conso_20261124")).as("dropping on a leaves b alone").isTrue();

        String purgeIni = env.defaults() + env.section("conso.b", env.b, "conso", "keep_bases = 1", "auto_switch = False");
        StagingService purging = service(purgeIni, null);
        purging.restore("conso.b", DateSpec.parse(OLD.toString()), null);
        assertThat(env.b.aliasTarget("conso")).isEqualTo("conso_20261124");
        assertThat(env.b.pgbouncerIni()).contains("conso_20261120 = dbname=conso_20261120");
        assertThat(purging.purge("conso.b")).containsExactly("conso_20261120");
        assertThat(env.b.databaseExists("conso_20261120")).isFalse();
        assertThat(env.b.pgbouncerIni()).doesNotContain("conso_20261120");
        assertThat(env.b.aliasTarget("conso")).isEqualTo("conso_20261124");
    }

    @Test
    void restoreOnTargetFetchesAndRestoresOnTheServerThenSwitchesHere() throws Exception {
        env.publishDump("tgt", NEW);
        Path sql = env.sqlPath.resolve("tgt");
        Files.createDirectories(sql.resolve("tgt.b/pre"));
        Files.createDirectories(sql.resolve("tgt.b/post"));
        Files.writeString(sql.resolve("tgt.b/pre/01-marker.sql"), "CREATE TABLE public.target_marker(who text);\n");
        Files.writeString(sql.resolve("tgt.b/post/01-marker.sql"), "INSERT INTO public.target_marker SELECT current_user;\n");
        Unprivileged.makeReadable(sql);
        String ini = env.defaults() + env.section("tgt.b", env.b, "tgt", "restore_on = target", "remove_dump = False",
                "sql_path = " + sql);
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
        StagingService s = service(ini, events);

        RestoreResult r = s.restore("tgt.b", DateSpec.latest(), null);

        assertThat(r.database()).isEqualTo("tgt_20261124");
        assertThat(r.switched()).isTrue();
        assertThat(env.b.aliasTarget("tgt")).isEqualTo("tgt_20261124");
        assertThat(env.a.databaseExists("tgt_20261124")).isFalse();
        try (var c = env.b.pg().connect("tgt_20261124"); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM public.target_marker")) {
            rs.next();
            assertThat(rs.getInt(1)).as("pre and post SQL from the console's sql_path ran on the server").isEqualTo(1);
        }
        // the copy of the dump was written on the server, by pgstaging-client as the login user
        Path kept = env.tmpdir.resolve("tgt.2026-11-24.dump");
        assertThat(kept).exists();
        assertThat(Files.getOwner(kept).getName()).isEqualTo(RemoteStaging.LOGIN);
        Files.delete(kept);
        // progress came back: bytes of the download, items of pg_restore, then the switch made here
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(RestoreEvent.StepProgress.class,
                p -> assertThat(p.unit()).isEqualTo("bytes")));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(RestoreEvent.StepProgress.class,
                p -> assertThat(p.unit()).isEqualTo("items")));
        assertThat(events).filteredOn(e -> e instanceof RestoreEvent.Completed).singleElement()
                .satisfies(e -> assertThat(((RestoreEvent.Completed) e).switched()).isTrue());
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(RestoreEvent.StepFinished.class,
                f -> assertThat(f.step()).isEqualTo(org.pgstaging.restore.Step.SWITCH)));
        assertThat(env.runRecords("tgt")).isEmpty();
    }


    @Test
    void aDryRunOfARestoreOnTheServerChecksAndSaysWhatWouldHappen() {
        env.publishDump("dry", NEW);
        String ini = env.defaults() + env.section("dry.b", env.b, "dry", "restore_on = target");
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
        StagingService s = new StagingService(ConfigLoader.load(env.writeConfig("dry.ini", ini)),
                new EngineOptions(true, java.util.Optional.empty()), events::add);
        String before = env.b.pgbouncerIni();

        s.restore("dry.b", DateSpec.latest(), null);

        assertThat(env.b.databaseExists("dry_20261124")).isFalse();
        assertThat(env.b.pgbouncerIni()).isEqualTo(before);
        List<String> would = events.stream().filter(e -> e instanceof RestoreEvent.Detail)
                .map(e -> ((RestoreEvent.Detail) e).line()).toList();
        assertThat(would).first().asString()
                .isEqualTo("would: on pgstaging@127.0.0.3:" + env.sshd.port() + ", pgstaging-client fetches "
                        + "http://127.0.0.1:" + env.web.port() + "/dry/dry.2026-11-24.dump and restores it there:");
        assertThat(would).anySatisfy(l -> assertThat(l).startsWith("would:   create database dry_20261124"));
        assertThat(would).last().asString().startsWith("would: then, here: add dry_20261124 and point alias dry at it in "
                + env.b.bouncer().configFile());
    }
}
