package org.pgstaging.restore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.pgstaging.PgStagingException;
import org.pgstaging.host.Command;
import org.pgstaging.host.CommandResult;

/**
 * Sources the pre or post SQL files, sorted by name, with psql, stopping at the first error. Files are
 * looked up in {@code sql_path/SECTION/pre} (pg_staging's layout) and, when that directory does not
 * exist, in {@code sql_path/pre}; the same for {@code post}.
 */
public final class SqlScripts {
    private SqlScripts() {}

    /** The files that would run, sorted; empty when sql_path or the directory is absent. */
    public static List<Path> files(StagingTarget target, boolean pre) {
        String phase = pre ? "pre" : "post";
        Path dir = target.section().sqlDir().map(p -> p.resolve(phase)).filter(Files::isDirectory)
                .or(() -> target.section().sqlPath().map(p -> p.resolve(phase)).filter(Files::isDirectory))
                .orElse(null);
        if (dir == null) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".sql") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the files into {@code database}, reporting each command and its output as detail events. */
    public static void run(StagingTarget target, String database, List<Path> files, Step step, RestoreListener listener) {
        run(target, database, files, step, new EventEmitter(database, listener));
    }

    static void run(StagingTarget target, String database, List<Path> files, Step step, EventEmitter events) {
        for (Path f : files) {
            List<String> argv = target.tools().psqlFile(target.postgres(), database, f, true);
            events.detail(step, String.join(" ", argv));
            CommandResult r = target.runner().run(Command.of(argv).withEnv(target.postgres().libpqEnv())
                    .withOutput(line -> events.detail(step, line), line -> events.detail(step, line)));
            if (!r.ok()) {
                throw new PgStagingException("psql -f " + f + " exited with " + r.exitCode() + ": "
                        + String.join(" | ", r.stderrTail()),
                        "fix the SQL file (it runs with ON_ERROR_STOP) or remove it from " + f.getParent());
            }
        }
    }
}
