package org.pgstaging.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;

/**
 * One staging environment for end-to-end tests: the shared PostgreSQL, a pgbouncer of its own, an
 * HTTP server (Apache or nginx) serving a backup directory, a tmpdir, and a pgstaging.ini in
 * pg_staging's format describing all of it.
 */
public final class StagingSandbox implements AutoCloseable {
    public final PostgresServer pg;
    public final PgbouncerServer bouncer;
    public final HttpServerProcess http;
    public final Path dir;
    public final Path docroot;
    public final Path tmpdir;
    public final Path sqlPath;

    private StagingSandbox(PostgresServer pg, PgbouncerServer bouncer, HttpServerProcess http, Path dir) {
        this.pg = pg;
        this.bouncer = bouncer;
        this.http = http;
        this.dir = dir;
        this.docroot = dir.resolve("www");
        this.tmpdir = dir.resolve("tmp");
        this.sqlPath = dir.resolve("sql");
    }

    public enum Web { NGINX, NGINX_JSON, APACHE }

    public static StagingSandbox start(Web web) {
        try {
            Path dir = Files.createTempDirectory("pgstaging-e2e");
            Unprivileged.chmod(dir, "rwxr-xr-x");
            Path docroot = Files.createDirectories(dir.resolve("www"));
            Files.createDirectories(dir.resolve("tmp"));
            Files.createDirectories(dir.resolve("sql"));
            Unprivileged.makeReadable(dir);
            PostgresServer pg = PostgresServer.shared();
            PgbouncerServer bouncer = PgbouncerServer.start(pg);
            HttpServerProcess http = switch (web) {
                case NGINX -> NginxServer.start(docroot, false);
                case NGINX_JSON -> NginxServer.start(docroot, true);
                case APACHE -> ApacheServer.start(docroot, ApacheServer.Style.FANCY_TABLE);
            };
            return new StagingSandbox(pg, bouncer, http, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts the fixture's dump in the listing as {@code dbname.DATE.dump}. */
    public Path publishDump(String dbname, LocalDate date) {
        return publish(dbname, dbname + "." + date + ".dump", SourceDump.custom());
    }

    /** Puts an arbitrary file in the listing (broken dumps, other names). */
    public Path publish(String dbname, String fileName, Path content) {
        try {
            Path d = Files.createDirectories(docroot.resolve(dbname));
            Path f = d.resolve(fileName);
            Files.copy(content, f, StandardCopyOption.REPLACE_EXISTING);
            Unprivileged.chmod(f, "rw-r--r--");
            Unprivileged.makeReadable(docroot);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** pg_staging.ini for section {@code foodb.dev}; extra lines are appended to the section. */
    public Path writeConfig(String dbname, String... extraSectionLines) {
        String ini = "; pgstaging end-to-end sandbox\n"
                + "[DEFAULT]\n"
                + "backup_host     = 127.0.0.1:" + http.port() + "\n"
                + "host            = 127.0.0.1\n"
                + "dbuser          = postgres\n"
                + "maintdb         = postgres\n"
                + "postgres_port   = " + pg.port() + "\n"
                + "postgres_major  = 15\n"
                + "pgbouncer_port  = " + bouncer.port() + "\n"
                + "pgbouncer_conf  = " + bouncer.configFile() + "\n"
                + "pg_restore      = " + pg.binDir().resolve("pg_restore") + "\n"
                + "tmpdir          = " + tmpdir + "\n"
                + "keep_bases      = 2\n"
                + "auto_switch     = True\n"
                + "restore_vacuum  = True\n"
                + "remove_dump     = True\n"
                + "use_sudo        = False\n"
                + "\n"
                + "[" + dbname + ".dev]\n"
                + "backup_base_url = /" + dbname + "/\n"
                + "dbname          = " + dbname + "\n"
                + "dbowner         = postgres\n"
                + "schemas         = public, app, billing, Sales Data, données, audit\n"
                + "schemas_nodata  = audit\n"
                + "tablename_nodata_regexp = _log$, ^app\\.sessions$\n"
                + "sql_path        = " + sqlPath + "\n"
                + String.join("\n", extraSectionLines) + "\n"
                // the history of changes (consoles started by the tests write it) stays in the sandbox
                + "\n[slack]\nstate_dir = " + dir.resolve("state") + "\n";
        try {
            Path f = dir.resolve("pgstaging.ini");
            Files.writeString(f, ini, StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The database the pgbouncer entry {@code alias} leads to, asked through pgbouncer itself. */
    public String aliasTarget(String alias) {
        return bouncer.aliasTarget(alias);
    }

    /** Whether PostgreSQL has a database of that name. */
    public boolean databaseExists(String name) {
        return pg.databaseExists(name);
    }

    @Override
    public void close() {
        http.close();
        bouncer.close();
        Unprivileged.deleteTree(dir);
    }
}
