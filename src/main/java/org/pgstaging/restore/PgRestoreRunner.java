package org.pgstaging.restore;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.pgstaging.config.SessionSettings;
import org.pgstaging.host.Command;
import org.pgstaging.host.CommandResult;
import org.pgstaging.postgres.PostgresTools;

/**
 * Runs pg_restore with a filtered list and turns its verbose output into item progress.
 * pg_restore -v prints one line per catalog item it processes, which is the only progress it gives.
 */
final class PgRestoreRunner {
    private final StagingTarget target;
    private final EventEmitter events;
    private final SessionSettings settings;

    PgRestoreRunner(StagingTarget target, EventEmitter events, SessionSettings settings) {
        this.target = target;
        this.events = events;
        this.settings = settings;
    }

    /** libpq's environment for pg_restore: the server, and PGOPTIONS carrying restore_settings after any inherited ones. */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>(target.postgres().libpqEnv());
        if (!settings.isEmpty()) {
            String inherited = System.getenv("PGOPTIONS");
            env.put("PGOPTIONS", (inherited == null || inherited.isBlank() ? "" : inherited.strip() + " ") + settings.pgOptions());
        }
        return env;
    }

    List<String> argv(String database, Path dump, Path list) {
        List<String> argv = new ArrayList<>();
        argv.add(target.tools().pgRestore());
        argv.add("--verbose");
        argv.add("--exit-on-error");
        if (target.section().pgRestoreSingleTransaction() && target.section().restoreJobs() <= 1) {
            argv.add("--single-transaction");
        }
        if (target.section().restoreJobs() > 1) {
            argv.add("--jobs=" + target.section().restoreJobs());
        }
        argv.addAll(PostgresTools.connection(target.postgres(), database));
        if (list != null) argv.add("--use-list=" + list);
        // no file: the archive comes on stdin (custom format only; entries are read in archive order)
        if (dump != null) argv.add(dump.toString());
        return argv;
    }

    /** Sections ({@code pre-data}, {@code data}, {@code post-data}) of a list, from {@code archive} (a seekable file). */
    CommandResult runSections(String database, Path archive, Path list, int jobs, String... sections) {
        List<String> argv = new ArrayList<>(List.of(target.tools().pgRestore(), "--verbose", "--exit-on-error"));
        for (String section : sections) argv.add("--section=" + section);
        if (jobs > 1) argv.add("--jobs=" + jobs);
        argv.addAll(PostgresTools.connection(target.postgres(), database));
        argv.add("--use-list=" + list);
        argv.add(archive.toString());
        return run(argv, 0, cmd -> cmd);
    }

    /** The items of {@code list}, from an archive read on stdin (its head, then their data blocks, in file order). */
    CommandResult runItem(String database, Supplier<InputStream> archive, Path list, boolean oneTransaction) {
        List<String> argv = new ArrayList<>(List.of(target.tools().pgRestore(), "--exit-on-error"));
        if (oneTransaction) argv.add("--single-transaction");
        argv.addAll(PostgresTools.connection(target.postgres(), database));
        argv.add("--use-list=" + list);
        return run(argv, 0, cmd -> cmd.withStdinStream(archive));
    }

    /** The data items of {@code list} from {@code archive} (a directory dump holding their files). */
    CommandResult runData(String database, Path archive, Path list, boolean oneTransaction) {
        List<String> argv = new ArrayList<>(List.of(target.tools().pgRestore(), "--exit-on-error", "--section=data"));
        if (oneTransaction) argv.add("--single-transaction");
        argv.addAll(PostgresTools.connection(target.postgres(), database));
        argv.add("--use-list=" + list);
        argv.add(archive.toString());
        return run(argv, 0, cmd -> cmd);
    }

    CommandResult run(String database, Path dump, Path list, long items) {
        return run(argv(database, dump, list), items, cmd -> cmd);
    }

    /** pg_restore reading the archive from {@code archive} on its stdin, as it arrives. */
    CommandResult runFromStream(String database, Supplier<InputStream> archive, Path list, long items) {
        return run(argv(database, null, list), items, cmd -> cmd.withStdinStream(archive));
    }

    private CommandResult run(List<String> argv, long items, UnaryOperator<Command> stdin) {
        String options = settings.isEmpty() ? "" : "PGOPTIONS='" + settings.pgOptions() + "' ";
        events.detail(Step.PG_RESTORE, options + String.join(" ", argv) + (argv.get(argv.size() - 1).startsWith("--") ? " < stream" : ""));
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        Command cmd = Command.of(argv)
                .withEnv(env())
                .withOutput(line -> { }, line -> {
                    if (items > 0 && isItemLine(line)) {
                        long n = done.incrementAndGet();
                        double secs = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
                        events.progress(Step.PG_RESTORE, Math.min(n, items), items, "items", n / secs);
                    } else if (items > 0 || !isItemLine(line)) {
                        events.detail(Step.PG_RESTORE, line);
                    }
                });
        return target.runner().run(stdin.apply(cmd));
    }

    private static boolean isItemLine(String line) {
        return line.startsWith("pg_restore: creating ") || line.startsWith("pg_restore: processing data for table ")
                || line.startsWith("pg_restore: executing ") || line.startsWith("pg_restore: processing item ");
    }
}
