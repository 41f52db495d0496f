package org.pgstaging.cli;

import org.pgstaging.TextTable;
import com.google.gson.JsonArray;
import java.util.ArrayList;
import java.util.List;
import org.pgstaging.config.Section;
import org.pgstaging.job.PgbouncerDatabase;
import picocli.CommandLine.Command;

/** pgbouncer listing, pause/resume, and the service actions (start, stop, restart, status). */
final class PgbouncerCommands {
    private PgbouncerCommands() {}

    static final List<Class<?>> ALL = List.of(Pgbouncer.class, Pause.class, Resume.class, Start.class, Stop.class,
            Restart.class, Status.class);

    @Command(name = "pgbouncer", description = "pgbouncer's databases for SECTION (SHOW DATABASES): the alias and"
            + " the dated copies; * marks the copy the alias points to. oldest or latest shows only that copy.")
    static final class Pgbouncer extends BaseCommand {

        @Override
        protected void run() {
            String w = arguments().value("WHICH");
            String s = section();
            String dbname = session.findSection(s).map(Section::dbname).orElse(s);
            List<PgbouncerDatabase> rows = ops().pgbouncer(s);
            String target = rows.stream().filter(r -> r.name().equals(dbname)).map(PgbouncerDatabase::database)
                    .findFirst().orElse(null);
            if (w != null) rows = PgbouncerDatabase.datedCopy(rows, dbname, "latest".equals(w)).map(List::of).orElse(List.of());
            if (out().json()) {
                JsonArray a = new JsonArray();
                for (PgbouncerDatabase r : rows) a.add(JsonViews.pgbouncer(r, isActive(r, dbname, target)));
                out().emitJson(a);
                return;
            }
            if (rows.isEmpty()) {
                out().info("(no pgbouncer database for [" + s + "])");
                return;
            }
            TextTable t = new TextTable("", "NAME", "DATABASE", "HOST:PORT", "PAUSED");
            for (PgbouncerDatabase r : rows) {
                t.row(ListingCommands.marker(isActive(r, dbname, target)), r.name(), r.database(),
                        r.host() + ":" + r.port(), r.paused() ? "yes" : "");
            }
            out().table(t);
        }

        private static boolean isActive(PgbouncerDatabase r, String dbname, String target) {
            return !r.name().equals(dbname) && r.name().equals(target);
        }
    }

    /** Completion candidates oldest|latest. */
    static final class OldestLatest extends ArrayList<String> {
        OldestLatest() { super(List.of("oldest", "latest")); }
    }

    /** Completion candidates of the SERVICE argument: only pgbouncer is managed. */
    static final class Services extends ArrayList<String> {
        Services() { super(List.of("pgbouncer")); }
    }

    @Command(name = "pause", description = "PAUSE in pgbouncer the copy of DATE, or the alias dbname when DATE"
            + " is omitted.")
    static final class Pause extends BaseCommand {

        @Override
        protected void run() {
            ops().pause(section(), date());
            Render.done(out(), "paused");
        }
    }

    @Command(name = "resume", description = "RESUME in pgbouncer the copy of DATE, or the alias dbname when DATE"
            + " is omitted.")
    static final class Resume extends BaseCommand {

        @Override
        protected void run() {
            ops().resume(section(), date());
            Render.done(out(), "resumed");
        }
    }

    /** start/stop/restart/status share everything but the action. */
    abstract static class ServiceCommand extends BaseCommand {

        abstract String action();

        @Override
        protected void run() {
            // SERVICE can only be pgbouncer (job.Verb checks it): the one service pgstaging manages
            String result = ops().service(section(), action());
            Render.value(out(), "status", result == null ? "" : result.strip());
        }
    }

    @Command(name = "start", description = "Start the pgbouncer service on the section's host.")
    static final class Start extends ServiceCommand {
        @Override String action() { return "start"; }
    }

    @Command(name = "stop", description = "Stop the pgbouncer service on the section's host.")
    static final class Stop extends ServiceCommand {
        @Override String action() { return "stop"; }
    }

    @Command(name = "restart", description = "Restart the pgbouncer service on the section's host.")
    static final class Restart extends ServiceCommand {
        @Override String action() { return "restart"; }
    }

    @Command(name = "status", description = "Status of the pgbouncer service on the section's host.")
    static final class Status extends ServiceCommand {
        @Override String action() { return "status"; }
    }
}
