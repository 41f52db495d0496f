package org.pgstaging.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pgstaging.config.StagingConfig;
import org.pgstaging.job.EngineOptions;

/** Runs {@link Cli} in-process on a temporary configuration, capturing stdout, stderr and the exit code. */
final class CliHarness {
    /** A configuration in pg_staging.ini form: [DEFAULT] plus three sections. */
    static final String INI = """
            [DEFAULT]
            backup_host     = backups.example.org
            dbuser          = postgres
            maintdb         = postgres
            db_encoding     = UTF8
            postgres_port   = 5432
            pgbouncer_port  = 6432
            pgbouncer_conf  = /etc/pgbouncer/pgbouncer.ini
            remove_dump     = True
            keep_bases      = 2
            auto_switch     = True
            use_sudo        = False
            pg_restore      = /usr/lib/postgresql/15/bin/pg_restore
            restore_vacuum  = True
            restore_jobs    = 1

            [foodb.dev]
            backup_base_url = /PostgreSQL/nightly/
            host            = localhost
            dbname          = foodb
            dbowner         = foo

            [foodb.preprod]
            backup_base_url = /PostgreSQL/nightly/
            host            = preprod.example.org
            dbname          = foodb
            keep_bases      = 3

            [bardb.dev]
            backup_base_url = /PostgreSQL/nightly/
            host            = localhost
            dbname          = bardb
            """;

    record Result(int code, String out, String err) { }

    final Path dir;
    final Path config;
    final RecordingOperations ops = new RecordingOperations();
    final List<EngineOptions> engineOptions = new ArrayList<>();
    final List<StagingConfig> engineConfigs = new ArrayList<>();
    String stdin = "";
    boolean stdinTerminal;
    boolean stdoutTerminal;

    CliHarness(Path dir) {
        this.dir = dir;
        this.config = dir.resolve("pgstaging.ini");
        try {
            Files.writeString(config, INI);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Cli cli(StringWriter out, StringWriter err) {
        return new Cli((config, options, listener) -> {
            engineOptions.add(options);
            engineConfigs.add(config);
            return ops;
        }, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out, true),
                new PrintWriter(err, true), () -> stdinTerminal, stdoutTerminal);
    }

    /** Runs with {@code -c <temp config>} prepended. */
    Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("-c", config.toString()));
        all.addAll(List.of(args));
        return runRaw(all.toArray(String[]::new));
    }

    Result runRaw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = cli(out, err).run(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs a one-line command given as a shell-like string. */
    Result line(String commandLine) {
        return run(LineSplitter.split(commandLine).toArray(String[]::new));
    }
}
