package org.pgstaging.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Two database servers reached over SSH, for the end-to-end tests of remote servers: on 127.0.0.2
 * and 127.0.0.3 each a PostgreSQL and a pgbouncer of its own, one sshd listening on both addresses
 * (login {@code pgstaging}, the user the Debian package creates, with the package's sudoers rule
 * and pgstaging-client), and an nginx on 127.0.0.1 serving the backups. Needs root: the package is
 * installed with dpkg and sshd switches users.
 */
public final class RemoteStaging implements AutoCloseable {
    public static final String LOGIN = "pgstaging";

    /** One database server: its address, PostgreSQL and pgbouncer. */
    public record Server(String address, PostgresServer pg, PgbouncerServer bouncer) {
        public boolean databaseExists(String name) {
            return pg.databaseExists(name);
        }

        /** The database the alias leads to, asked through this server's pgbouncer. */
        public String aliasTarget(String alias) {
            return bouncer.aliasTarget(alias);
        }

        public String pgbouncerIni() {
            try {
                return Files.readString(bouncer.configFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public final Server a;
    public final Server b;
    public final SshServer sshd;
    public final NginxServer web;
    public final Path dir;
    public final Path docroot;
    /** tmpdir of the sections: written by the console (root) and by pgstaging-client (the login user). */
    public final Path tmpdir;
    public final Path sqlPath;
    private final AutoCloseable clientConfig;

    private RemoteStaging(Server a, Server b, SshServer sshd, NginxServer web, Path dir, AutoCloseable clientConfig) {
        this.a = a;
        this.b = b;
        this.sshd = sshd;
        this.web = web;
        this.dir = dir;
        this.docroot = dir.resolve("www");
        this.tmpdir = dir.resolve("tmp");
        this.sqlPath = dir.resolve("sql");
        this.clientConfig = clientConfig;
    }

    private static RemoteStaging shared;

    /** One environment for every remote test class of the JVM, stopped by a shutdown hook. */
    public static synchronized RemoteStaging shared() {
        if (shared == null) {
            RemoteStaging env = start();
            Runtime.getRuntime().addShutdownHook(new Thread(env::close, "stop-remote-staging"));
            shared = env;
        }
        return shared;
    }

    public static RemoteStaging start() {
        DebianPackage.install();
        List<AutoCloseable> started = new ArrayList<>();
        try {
            Path dir = Files.createTempDirectory("pgstaging-remote");
            Unprivileged.makeReadable(dir);
            Path docroot = Files.createDirectories(dir.resolve("www"));
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            Unprivileged.chmod(tmp, "rwxrwxrwx");
            Files.createDirectories(dir.resolve("sql"));
            Unprivileged.makeReadable(dir.resolve("sql"));
            Server a = server("127.0.0.2", started);
            Server b = server("127.0.0.3", started);
            NginxServer web = NginxServer.start(docroot, false);
            started.add(web);
            SshServer sshd = SshServer.start(List.of(a.address(), b.address()));
            started.add(sshd);
            AutoCloseable conf = DebianPackage.allowPgbouncerDirs(List.of(a.bouncer().configFile().getParent(),
                    b.bouncer().configFile().getParent()));
            return new RemoteStaging(a, b, sshd, web, dir, conf);
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable c : started) closeQuietly(c);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private static Server server(String address, List<AutoCloseable> started) {
        PostgresServer pg = PostgresServer.start(address);
        started.add(pg);
        PgbouncerServer bouncer = PgbouncerServer.start(pg, address);
        started.add(bouncer);
        return new Server(address, pg, bouncer);
    }

    public Path publishDump(String dbname, LocalDate date) {
        try {
            Path d = Files.createDirectories(docroot.resolve(dbname));
            Path f = d.resolve(dbname + "." + date + ".dump");
            Files.copy(SourceDump.custom(), f, StandardCopyOption.REPLACE_EXISTING);
            Unprivileged.chmod(f, "rw-r--r--");
            Unprivileged.makeReadable(d);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The records pgstaging-client keeps of {@code dbname}'s restores on the servers (in the login user's home). */
    public List<Path> runRecords(String dbname) {
        Path records = Path.of("/var/lib/pgstaging/.local/state/pgstaging/target-runs");
        if (!Files.isDirectory(records)) return List.of();
        try (var files = Files.list(records)) {
            return files.filter(f -> f.getFileName().toString().startsWith(dbname + "_")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The [DEFAULT] of a configuration reaching both servers as the package's pgstaging user. */
    public String defaults() {
        // the history of changes stays in the test directory
        return "[slack]\nstate_dir = " + dir.resolve("state") + "\n\n"
                + "[DEFAULT]\n"
                + "backup_host     = 127.0.0.1:" + web.port() + "\n"
                + "dbuser          = postgres\n"
                + "maintdb         = postgres\n"
                + "pg_restore      = " + PostgresServer.DEFAULT_BIN_DIR.resolve("pg_restore") + "\n"
                + "tmpdir          = " + tmpdir + "\n"
                + "keep_bases      = 2\n"
                + "restore_vacuum  = True\n"
                + "ssh_user        = " + LOGIN + "\n"
                + "ssh_port        = " + sshd.port() + "\n"
                + "ssh_identity    = " + sshd.clientKey() + "\n"
                + "ssh_known_hosts = " + sshd.knownHosts() + "\n"
                + "use_sudo        = True\n";
    }

    /** A section for {@code dbname} on {@code server}; extra lines are appended to it. */
    public String section(String name, Server server, String dbname, String... extra) {
        return "\n[" + name + "]\n"
                + "host            = " + server.address() + "\n"
                + "postgres_port   = " + server.pg().port() + "\n"
                + "pgbouncer_port  = " + server.bouncer().port() + "\n"
                + "pgbouncer_conf  = " + server.bouncer().configFile() + "\n"
                + "pgbouncer_db_host = " + server.address() + "\n"
                + "dbname          = " + dbname + "\n"
                + "backup_base_url = /" + dbname + "/\n"
                + String.join("\n", extra) + "\n";
    }

    public Path writeConfig(String name, String text) {
        try {
            Path f = dir.resolve(name);
            Files.writeString(f, text, StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // best effort
        }
    }

    @Override
    public void close() {
        closeQuietly(clientConfig);
        closeQuietly(sshd);
        closeQuietly(web);
        for (Server s : List.of(b, a)) {
            closeQuietly(s.bouncer());
            closeQuietly(s.pg());
        }
        Unprivileged.deleteTree(dir);
    }
}
