package org.pgstaging.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.testkit.DatabaseSnapshot;
import org.pgstaging.testkit.StagingSandbox;
import org.pgstaging.testkit.Unprivileged;

/**
 * The catalog filter on a database with every kind of object that needs something of a left-out
 * schema (casts, event triggers, foreign servers and user mappings, views, materialized views,
 * foreign keys, triggers, partitions, inheritance, publications, default privileges, large objects,
 * unicode names), compared with a restore by {@code pg_restore --exit-on-error -L} of a list this
 * test builds by hand from {@code pg_restore -l}: the same objects, comments, ACLs, rows and
 * contents. And a dump the filter cannot restore is refused before anything is created.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FilteredRestoreEndToEndTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 24);
    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/dependencies.sql").toAbsolutePath();

    private StagingSandbox sandbox;
    private Path okDump;
    private Path ini;

    @BeforeAll
    void start() throws Exception {
        sandbox = StagingSandbox.start(StagingSandbox.Web.NGINX);
        okDump = dumpOf("deps_src", null);
        sandbox.publish("depsok", "depsok." + DAY + ".dump", okDump);
        sandbox.publish("depsall", "depsall." + DAY + ".dump", okDump);
        sandbox.publish("depsrng", "depsrng." + DAY + ".dump", okDump);
        // the same, plus a kept table with a column of a type of the left-out schema
        sandbox.publish("depsbad", "depsbad." + DAY + ".dump", dumpOf("deps_bad_src",
                "CREATE TABLE keep.tags (id int, attrs gone.hstore)"));
        Path base = sandbox.writeConfig("depsok", "\n[depsbad.dev]\nbackup_base_url = /depsbad/\ndbname = depsbad\n"
                + "dbowner = postgres\nschemas = keep, Ventes Été, public\nschemas_nodata = audit\n",
                // every schema, but gone.parent and audit without data
                "\n[depsall.dev]\nbackup_base_url = /depsall/\ndbname = depsall\ndbowner = postgres\n"
                + "tablename_nodata_regexp = ^gone\\.parent$, ^audit\\.\n",
                // as depsok, each table's data fetched by its own range and loaded in parallel
                "\n[depsrng.dev]\nbackup_base_url = /depsrng/\ndbname = depsrng\ndbowner = postgres\n"
                + "schemas = keep, Ventes Été, public\nschemas_nodata = audit\nrestore_mode = ranges\nrestore_jobs = 2\n");
        // [depsok.dev]: the sandbox's first section, its filter replaced
        String text = Files.readString(base, StandardCharsets.UTF_8)
                .replaceFirst("(?m)^schemas\\s*=.*$", "schemas = keep, Ventes Été, public")
                .replaceFirst("(?m)^schemas_nodata\\s*=.*$", "schemas_nodata = audit")
                .replaceFirst("(?m)^tablename_nodata_regexp\\s*=.*$", "");
        ini = Files.writeString(base, text, StandardCharsets.UTF_8);
    }

    private Path dumpOf(String db, String extraSql) throws Exception {
        sandbox.pg.dropDatabase(db);
        sandbox.pg.createDatabase(db);
        sandbox.pg.psql(db, FIXTURE);
        if (extraSql != null) sandbox.pg.execute(db, extraSql);
        Path dir = Files.createDirectories(sandbox.dir.resolve("dumps"));
        Unprivileged.chmod(dir, "rwxrwxrwx");
        Path dump = dir.resolve(db + ".dump");
        sandbox.pg.pgDump(db, dump, "c");
        return dump;
    }

    @AfterAll
    void stop() {
        if (sandbox != null) sandbox.close();
    }

    private StagingService staging() {
        return new StagingService(ConfigLoader.load(ini), EngineOptions.defaults(), RestoreListener.NONE);
    }

    @Test
    void leavesOutWhatNeedsTheLeftOutSchemaAndRestoresWhatAHandBuiltListRestores() throws Exception {
        StringWriter list = new StringWriter();
        CatalogReport report = staging().catalogAt("depsok.dev", DateSpec.of(DAY), list);
        assertThat(report.conflicts()).isEmpty();
        assertThat(report.dependencyDrops()).contains(
                "CAST CAST (gone.money2 AS keep.pair) needs FUNCTION gone.to_pair(gone.money2)",
                "EVENT TRIGGER deps_ddl needs FUNCTION gone.on_ddl()",
                "SERVER remote1 needs EXTENSION postgres_fdw",
                "USER MAPPING USER MAPPING postgres SERVER remote1 needs SERVER remote1",
                "FOREIGN TABLE keep.remote_items needs SERVER remote1",
                "VIEW keep.orders_with_parent needs TABLE gone.parent",
                "VIEW keep.paid_labels needs VIEW keep.orders_with_parent",
                "MATERIALIZED VIEW keep.parent_counts needs TABLE gone.parent",
                "FK CONSTRAINT keep.orders orders_parent_id_fkey needs CONSTRAINT gone.parent parent_pkey",
                "FK CONSTRAINT keep.actions actions_actor_fkey references a table restored without its data");
        assertThat(report.summary()).contains("left out for what they need");

        RestoreResult restored = staging().restore("depsok.dev", DateSpec.of(DAY), RestoreListener.NONE);
        assertThat(restored.database()).isEqualTo("depsok_20261124");

        List<String> ours = snapshot("depsok_20261124");
        List<String> reference = snapshot(referenceRestore("deps_reference", LEFT_OUT_WITH_GONE));
        assertThat(ours).as("pgstaging's copy against pg_restore -L of the hand-built list").isEqualTo(reference);
        // and the snapshot sees what matters: it is not empty or blind
        assertThat(ours).contains("rel keep.orders r", "lo 424242", "rows audit.actors 0 ", "pubrel deps_pub keep.orders",
                "pol keep.orders see_paid", "ext pgcrypto keep", "defacl keep {deps_reader=r/postgres}", "type keep.status e",
                "rel keep.events_2026 r", "rel keep.order_counts m  false true", "owner keep.actions deps_owner",
                "owner keep.paid deps_owner", "seq keep.invoice_no 1234", "seq keep.tickets_id_seq 2", "seq keep.tickets_n_seq 2");
        assertThat(ours).anyMatch(l -> l.startsWith("rows \"Ventes Été\".\"Lignes \"\"été\"\"\" 30 "))
                .anyMatch(l -> l.startsWith("rows keep.orders 200 "));
        assertThat(ours).noneMatch(l -> l.contains("gone.")).doesNotContain("evt deps_ddl");

        // the same list restored block by block, in parallel: the same database, large object included
        staging().restore("depsrng.dev", DateSpec.of(DAY), RestoreListener.NONE);
        assertThat(snapshot("depsrng_20261124")).isEqualTo(ours);
    }

    @Test
    void aKeptTableNeedingALeftOutTypeIsRefusedBeforeAnythingIsCreated() throws Exception {
        String before = Files.readString(sandbox.bouncer.configFile(), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> staging().restore("depsbad.dev", DateSpec.of(DAY), RestoreListener.NONE))
                .isInstanceOfSatisfying(PgStagingException.class, e -> {
                    assertThat(e.getMessage()).contains("[depsbad.dev] the filtered catalog cannot be restored")
                            .contains("TABLE keep.tags needs EXTENSION hstore (schema gone is not restored)");
                    assertThat(e.hint()).contains("add gone to schemas").contains("pgstaging catalog depsbad.dev");
                });
        assertThat(sandbox.databaseExists("depsbad_20261124")).isFalse();
        assertThat(Files.readString(sandbox.bouncer.configFile(), StandardCharsets.UTF_8)).isEqualTo(before);
        assertThat(sandbox.tmpdir.toFile().list()).noneMatch(n -> n.contains("depsbad"));

        // said beforehand by catalog and by a dry run
        CatalogReport report = staging().catalogAt("depsbad.dev", DateSpec.of(DAY), new StringWriter());
        assertThat(report.conflicts()).containsExactly("TABLE keep.tags needs EXTENSION hstore (schema gone is not restored)");
        StagingService dry = new StagingService(ConfigLoader.load(ini), new EngineOptions(true, java.util.Optional.empty()), RestoreListener.NONE);
        assertThatThrownBy(() -> dry.restore("depsbad.dev", DateSpec.of(DAY), RestoreListener.NONE))
                .hasMessageContaining("TABLE keep.tags needs EXTENSION hstore");
    }

    @Test
    void everySchemaWithTablesWithoutDataKeepsAllButTheDataAndTheForeignKeysThatCouldNotBeValidated() throws Exception {
        CatalogReport report = staging().catalogAt("depsall.dev", DateSpec.of(DAY), new StringWriter());
        assertThat(report.excludedSchemas()).isEmpty();
        assertThat(report.nodataTables()).containsExactlyInAnyOrder("gone.parent", "audit.actors", "audit.log");
        assertThat(report.dependencyDrops()).containsExactlyInAnyOrder(
                "FK CONSTRAINT keep.orders orders_parent_id_fkey references a table restored without its data",
                "FK CONSTRAINT keep.actions actions_actor_fkey references a table restored without its data");

        staging().restore("depsall.dev", DateSpec.of(DAY), RestoreListener.NONE);

        List<String> ours = snapshot("depsall_20261124");
        assertThat(ours).isEqualTo(snapshot(referenceRestore("deps_reference_all", List.of(
                " TABLE DATA gone parent ", " TABLE DATA audit ",
                " FK CONSTRAINT keep orders orders_parent_id_fkey ", " FK CONSTRAINT keep actions actions_actor_fkey "))));
        assertThat(ours).contains("evt deps_ddl", "srv remote1", "rows gone.parent 0 ", "con keep.orders orders_pkey p");
        assertThat(ours).noneMatch(l -> l.startsWith("con keep.orders orders_parent_id_fkey"));
    }

    /** What pg_restore --exit-on-error -L restores of the dump with the lines matching {@code leftOut} commented out. */
    private String referenceRestore(String db, List<String> leftOut) throws Exception {
        sandbox.pg.dropDatabase(db);
        sandbox.pg.createDatabase(db);
        Path handList = sandbox.dir.resolve(db + ".list");
        Files.writeString(handList, handBuiltList(leftOut), StandardCharsets.UTF_8);
        Unprivileged.chmod(handList, "rw-r--r--");
        Unprivileged.run(List.of(sandbox.pg.binDir().resolve("pg_restore").toString(), "--exit-on-error",
                "-h", "127.0.0.1", "-p", Integer.toString(sandbox.pg.port()), "-U", "postgres", "-d", db,
                "-L", handList.toString(), okDump.toString()), null, 300);
        return db;
    }

    /** The lines that must go when schema gone is left out and audit restored without data, written by hand. */
    private static final List<String> LEFT_OUT_WITH_GONE = List.of(
                "^\\d+; \\d+ \\d+ [A-Z ]+ gone ",                        // anything in schema gone
                " SCHEMA - gone ", " COMMENT - SCHEMA gone ",
                " EXTENSION - (postgres_fdw|hstore) ", " COMMENT - EXTENSION (postgres_fdw|hstore) ",
                " SERVER - remote1 ", " USER MAPPING - USER MAPPING postgres SERVER remote1 ",
                " FOREIGN TABLE keep remote_items ",
                " CAST - CAST \\(gone\\.money2 AS keep\\.pair\\) ",
                " EVENT TRIGGER - deps_ddl ", " COMMENT - EVENT TRIGGER deps_ddl ",
                " TRIGGER keep orders orders_touch ", " COMMENT keep TRIGGER orders_touch ON orders ",
                " VIEW keep orders_with_parent ", " ACL keep TABLE orders_with_parent ", " VIEW keep paid_labels ",
                " MATERIALIZED VIEW( DATA)? keep parent_counts ",
                " FK CONSTRAINT keep orders orders_parent_id_fkey ",
                " TABLE DATA audit ",                                   // schemas_nodata
                " FK CONSTRAINT keep actions actions_actor_fkey ");

    /** pg_restore -l of the dump, with the lines matching {@code leftOut} commented out. */
    private String handBuiltList(List<String> leftOut) {
        String listing = Unprivileged.run(List.of(sandbox.pg.binDir().resolve("pg_restore").toString(), "-l",
                okDump.toString()), null, 60);
        List<Pattern> out = leftOut.stream().map(Pattern::compile).toList();
        StringBuilder b = new StringBuilder();
        for (String line : listing.lines().toList()) {
            boolean drop = !line.startsWith(";") && out.stream().anyMatch(p -> p.matcher(line + " ").find());
            b.append(drop ? ";" : "").append(line).append('\n');
        }
        return b.toString();
    }

    private List<String> snapshot(String db) throws Exception {
        return DatabaseSnapshot.of(sandbox.pg, db);
    }
}
