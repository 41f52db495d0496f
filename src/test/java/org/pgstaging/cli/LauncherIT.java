package org.pgstaging.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script (src/main/scripts/pgstaging) on the packaged jar: it finds the jar, keeps the
 * class archive, passes exit codes through and never adds JVM noise to the output.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("src/main/scripts/pgstaging").toAbsolutePath();
    private static final Path JAR = Path.of("target/pgstaging.jar").toAbsolutePath();

    @TempDir Path dir;
    Path cds;
    Path ini;

    record Run(int exit, String out, String err) { }

    @BeforeEach
    void setUp() throws IOException {
        cds = dir.resolve("cds");
        ini = dir.resolve("pgstaging.ini");
        Files.writeString(ini, """
                [DEFAULT]
                backup_host = backups.example.org
                backup_base_url = /nightly/
                dbuser = postgres

                [foodb.dev]
                host = localhost
                dbname = foodb
                """);
    }

    @Test
    void theFirstRealCommandMakesTheArchiveAndLaterOnesLoadTheirClassesFromIt() throws Exception {
        Run direct = run(List.of("java", "-jar", JAR.toString(), "-c", ini.toString(), "config"), Map.of());
        Run first = launch(Map.of(), "-c", ini.toString(), "config");
        assertThat(first.exit()).isZero();
        assertThat(first.out()).isEqualTo(direct.out()).contains("foodb.dev");
        assertThat(first.err()).isEmpty();
        assertThat(archives()).hasSize(1);
        try (Stream<Path> files = Files.list(cds)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("."))).isEmpty();
        }
        // `config` lists no backups and connects nowhere: what a listing and a first connection
        // use is archived all the same, the parts no command-line run uses are not
        String archived = archivedClasses(archives().get(0));
        assertThat(archived).contains(" org.jsoup.parser.HtmlTreeBuilder ", " org.postgresql.jdbc.TypeInfoCache ",
                " com.github.benmanes.caffeine.cache.BoundedLocalCache ", " org.h2.mvstore.MVStore ");
        assertThat(archived).doesNotContain(" org.apache.hc.core5.http2.", " org.apache.hc.client5.http.impl.async.",
                " org.h2.server.web.", " org.pgstaging.slack.");

        Path classLog = dir.resolve("classes.log");
        Run second = launch(Map.of("PGSTAGING_JAVA_OPTS", "-Xlog:class+load:file=" + classLog),
                "-c", ini.toString(), "config");
        assertThat(second.exit()).isZero();
        assertThat(second.out()).isEqualTo(direct.out());
        assertThat(second.err()).isEmpty();
        String loaded = Files.readString(classLog);
        assertThat(loaded).containsPattern("org\\.pgstaging\\.config\\.StagingConfig source: shared objects file");
        // picocli's classes are of the Java 5 format, which only a static archive keeps on Java 17
        assertThat(loaded).containsPattern("picocli\\.CommandLine source: shared objects file");
        // the JDBC driver is loaded by the warm-up thread of every command, from the archive
        assertThat(loaded).containsPattern("org\\.postgresql\\.Driver source: shared objects file");
        // preloaded on the archiving run although `config` never touches it
        assertThat(loaded).doesNotContain("org.pgstaging.postgres.ClusterAdmin ");
        // whether or not a PostgreSQL answers on localhost:5432, ClusterAdmin is loaded, from the archive
        launch(Map.of("PGSTAGING_JAVA_OPTS", "-Xlog:class+load:file=" + classLog),
                "-c", ini.toString(), "--json", "databases", "foodb.dev");
        assertThat(Files.readString(classLog)).containsPattern("org\\.pgstaging\\.postgres\\.ClusterAdmin source: shared objects file");
        // the history (H2), which every change writes and a restore waits for, too
        Run history = launch(Map.of("PGSTAGING_JAVA_OPTS", "-Xlog:class+load:file=" + classLog + " -Duser.home=" + dir),
                "-c", ini.toString(), "history");
        assertThat(history.exit()).as(history.err()).isZero();
        assertThat(Files.readString(classLog)).containsPattern("org\\.h2\\.mvstore\\.MVStore source: shared objects file")
                .doesNotContainPattern("org\\.h2\\.\\S+ source: (jar|file):");
    }

    @Test
    void helpVersionAndTheBotMakeNoArchiveAndCdsOffMakesNone() throws Exception {
        assertThat(launch(Map.of(), "--version").out()).startsWith("pgstaging ");
        assertThat(launch(Map.of(), "help").exit()).isZero();
        Run bot = launch(Map.of(), "-c", ini.toString(), "bot");
        assertThat(bot.exit()).as("no [slack] section: the bot refuses to start").isNotZero();
        assertThat(bot.err()).contains("slack");
        assertThat(launch(Map.of("PGSTAGING_CDS", "off"), "-c", ini.toString(), "config").exit()).isZero();
        assertThat(archives()).isEmpty();
    }

    @Test
    void exitCodesAndErrorsPassThroughOnTheArchivingRunAndAfter() throws Exception {
        Path missing = dir.resolve("missing.ini");
        Run first = launch(Map.of(), "-c", missing.toString(), "config");
        Run second = launch(Map.of(), "-c", missing.toString(), "config");
        for (Run r : List.of(first, second)) {
            assertThat(r.exit()).isEqualTo(ExitCodes.CONFIG);
            assertThat(r.err()).startsWith("pgstaging: error: ").contains(missing.toString()).doesNotContain("[warning]");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void twoInstallationsKeepTheirOwnArchivesAndANewBuildReplacesOnlyItsOwn() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other")).resolve("pgstaging.jar");
        Files.copy(JAR, other);
        assertThat(launch(Map.of(), "-c", ini.toString(), "config").exit()).isZero();
        assertThat(launch(Map.of("PGSTAGING_JAR", other.toString()), "-c", ini.toString(), "config").exit()).isZero();
        List<Path> both = archives();
        assertThat(both).hasSize(2);

        // used alternately, neither is made again
        assertThat(launch(Map.of(), "-c", ini.toString(), "config").exit()).isZero();
        assertThat(archives()).containsExactlyInAnyOrderElementsOf(both);

        // a new build at the other path replaces that path's archive only
        Files.copy(JAR, other, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(other, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(launch(Map.of("PGSTAGING_JAR", other.toString()), "-c", ini.toString(), "config").exit()).isZero();
        List<Path> after = archives();
        assertThat(after).hasSize(2);
        assertThat(after).filteredOn(both::contains).hasSize(1);
    }

    @Test
    void anUnwritableCacheOnlyCostsSpeed() throws Exception {
        Run r = run(command("-c", ini.toString(), "config"), Map.of("PGSTAGING_CDS_DIR", "/proc/pgstaging-cds"));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("foodb.dev");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aMissingJarIsNamedWithTheWayOut() throws Exception {
        Run r = launch(Map.of("PGSTAGING_JAR", dir.resolve("nope.jar").toString()), "--version");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("nope.jar is not a file").contains("hint: ");
    }

    private List<Path> archives() throws IOException {
        if (!Files.isDirectory(cds)) return List.of();
        try (Stream<Path> files = Files.list(cds)) {
            return files.filter(p -> p.getFileName().toString().matches("pgstaging-.*\\.jsa")).toList();
        }
    }

    /** The classes {@code archive} holds, one per line as the JVM lists them ("  27: org.example.Name app_loader"). */
    private String archivedClasses(Path archive) throws Exception {
        Run r = run(List.of("java", "-XX:SharedArchiveFile=" + archive, "-XX:+PrintSharedArchiveAndExit",
                "-cp", JAR.toString()), Map.of());
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out();
    }

    private Run launch(Map<String, String> env, String... args) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putIfAbsent("PGSTAGING_CDS_DIR", cds.toString());
        return run(command(args), all);
    }

    private static List<String> command(String... args) {
        List<String> argv = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    private Run run(List<String> argv, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
        pb.environment().remove("PGSTAGING_CONFIG");
        pb.environment().putAll(env);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("launcher did not finish: " + argv);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
