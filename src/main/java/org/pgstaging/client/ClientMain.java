package org.pgstaging.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.pgstaging.PgStagingException;
import org.pgstaging.Version;
import org.pgstaging.config.ClientConfig;
import org.pgstaging.host.ClientProtocol;
import org.pgstaging.host.Command;
import org.pgstaging.host.CommandResult;
import org.pgstaging.host.LocalHost;
import org.pgstaging.restore.TargetProtocol;

/**
 * pgstaging-client, the database server's side of pgstaging: a fixed set of sub-commands that
 * pgstaging runs over SSH, those that need root through {@code sudo -n}. See pgstaging-client(8).
 *
 * <p>Errors go to standard error as {@code pgstaging-client: error: WHAT} and {@code hint: HOW};
 * exit status 0 done, 1 failed, 2 refused (unknown sub-command or bad argument: nothing was done),
 * 3 the console runs another version.
 */
public final class ClientMain {
    private final ClientConfig config;
    private final InputStream in;
    private final OutputStream out;
    private final PrintStream err;
    private final LocalHost local = new LocalHost();

    ClientMain(ClientConfig config, InputStream in, OutputStream out, PrintStream err) {
        this.config = config;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        int status;
        try {
            ClientConfig config = ClientConfig.load(ClientConfig.FILE);
            status = new ClientMain(config, System.in, System.out, err).run(args);
        } catch (PgStagingException e) {
            status = fail(err, e, ClientProtocol.EXIT_FAILED);
        }
        System.out.flush();
        System.exit(status);
    }

    int run(String[] args) {
        try {
            if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
                usage(args.length == 0 ? err : new PrintStream(out, true, StandardCharsets.UTF_8));
                return args.length == 0 ? ClientProtocol.EXIT_USAGE : ClientProtocol.EXIT_OK;
            }
            if (args.length == 1 && args[0].equals("--version")) {
                print(ClientProtocol.versionLine(Version.current()) + "\n");
                return ClientProtocol.EXIT_OK;
            }
            ClientArguments a = ClientArguments.parse(args);
            if (!a.consoleVersion().equals(Version.current())) {
                if (a.command().equals(ClientProtocol.VERSION)) print(ClientProtocol.versionLine(Version.current()) + "\n");
                err.println(ClientProtocol.PROGRAM + ": error: this is pgstaging-client " + Version.current()
                        + ", the console runs pgstaging " + ClientArguments.printable(a.consoleVersion()));
                err.println("hint: install the same pgstaging version on both machines");
                return ClientProtocol.EXIT_VERSION;
            }
            return dispatch(a);
        } catch (ClientUsageException e) {
            return fail(err, e, ClientProtocol.EXIT_USAGE);
        } catch (PgStagingException e) {
            return fail(err, e, ClientProtocol.EXIT_FAILED);
        } catch (IOException e) {
            return fail(err, new PgStagingException("the console went away: " + e.getMessage(), null), ClientProtocol.EXIT_FAILED);
        }
    }

    private int dispatch(ClientArguments a) throws IOException {
        AllowedFiles files = new AllowedFiles(config.pgbouncerDirs());
        switch (a.command()) {
            case ClientProtocol.VERSION -> print(ClientProtocol.versionLine(Version.current()) + "\n");
            case ClientProtocol.READ -> print(local.readFile(files.resolve(a.option(ClientProtocol.CONF))));
            case ClientProtocol.CHECK -> {
                Path file = files.resolve(a.option(ClientProtocol.CONF));
                org.pgstaging.pgbouncer.PgbouncerIni.parse(local.readFile(file));
                local.checkReplaceable(file);
            }
            case ClientProtocol.EDIT -> new EditSession(local, files.resolve(a.option(ClientProtocol.CONF)), in, out).run();
            case ClientProtocol.SERVICE -> service(a.positional().get(0));
            case ClientProtocol.RESTORE -> {
                return new TargetRestoreCommand(local, RunRecords.ofUser(), in, out,
                        java.time.Duration.ofSeconds(TargetProtocol.CONSOLE_SILENCE_SECONDS)).run();
            }
            case ClientProtocol.RUNS -> runs(a.option(ClientProtocol.DBNAME), a.option(ClientProtocol.FORGET));
            default -> throw new ClientUsageException("unknown sub-command '" + a.command() + "'", null);
        }
        out.flush();
        return ClientProtocol.EXIT_OK;
    }

    /** The records of dbname's restores, one JSON line each; with a database to forget, that dead record is removed first. */
    private void runs(String dbname, String forget) throws IOException {
        RunRecords records = RunRecords.ofUser();
        if (forget != null) records.forget(forget);
        StringBuilder sb = new StringBuilder();
        for (RunRecords.Entry e : records.list(dbname)) sb.append(e.toJson()).append('\n');
        print(sb.toString());
    }

    /** systemctl's output, then its exit status on a line of its own: a stopped service is an answer, not a failure. */
    private void service(String verb) throws IOException {
        List<String> argv = List.of("systemctl", verb, config.pgbouncerUnit());
        StringBuilder lines = new StringBuilder();
        CommandResult r = local.run(Command.of(argv).withOutput(l -> lines.append(l).append('\n'), l -> lines.append(l).append('\n')));
        print(lines + ClientProtocol.EXIT_STATUS + r.exitCode() + "\n");
    }

    private void print(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static int fail(PrintStream err, PgStagingException e, int status) {
        err.println(ClientProtocol.PROGRAM + ": error: " + oneLine(e.getMessage()));
        if (e.hint() != null) err.println("hint: " + oneLine(e.hint()));
        err.flush();
        return status;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    private static void usage(PrintStream p) {
        p.println("usage: pgstaging-client SUB-COMMAND --console-version VERSION [OPTIONS]");
        p.println("       pgstaging-client --version");
        p.println();
        p.println("The database server's side of pgstaging, run by pgstaging over SSH (see pgstaging-client(8)):");
        p.println("  version                   print this client's version");
        p.println("  read  --conf PGBOUNCER_INI   print pgbouncer.ini");
        p.println("  check --conf PGBOUNCER_INI   check it can be replaced");
        p.println("  edit  --conf PGBOUNCER_INI   change its [databases] entries under its lock (protocol on stdin/stdout)");
        p.println("  service start|stop|restart|reload|status   systemctl on the pgbouncer unit");
        p.println("  restore                   a restore next to the data (request on stdin, progress on stdout)");
        p.println("  runs --dbname NAME [--forget DATABASE]   records of restores here, running or dead");
        p.println("Files must be .ini files under pgbouncer_dirs of " + ClientConfig.FILE + ".");
        p.flush();
    }
}
