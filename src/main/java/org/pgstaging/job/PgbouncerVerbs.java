package org.pgstaging.job;

import java.util.List;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.pgbouncer.ServiceAction;
import org.pgstaging.pgbouncer.ServiceResult;
import org.pgstaging.postgres.DatedDatabase;
import org.pgstaging.restore.StagingTarget;

/** pgbouncer: its databases for a section, PAUSE/RESUME, and its service (start, stop, restart, status). */
final class PgbouncerVerbs {
    private final VerbContext c;

    PgbouncerVerbs(VerbContext c) {
        this.c = c;
    }

    List<PgbouncerDatabase> pgbouncer(String section) {
        StagingTarget t = c.target(section);
        String dbname = t.section().dbname();
        return t.pgbouncer().showDatabases().stream()
                .filter(r -> r.name().equals(dbname) || DatedDatabase.dateOf(dbname, r.name()).isPresent())
                .map(r -> new PgbouncerDatabase(r.name(), r.database(), r.host(), r.port() == null ? 0 : r.port(), r.paused()))
                .toList();
    }

    void pause(String section, DateSpec date) {
        StagingTarget t = c.target(section);
        String db = date == null ? t.section().dbname() : new DatedCopies(t).resolve(date);
        if (c.options().dryRun()) {
            c.wouldDo(c.listener(), db, "PAUSE " + db);
            return;
        }
        t.pgbouncer().pause(db);
    }

    void resume(String section, DateSpec date) {
        StagingTarget t = c.target(section);
        String db = date == null ? t.section().dbname() : new DatedCopies(t).resolve(date);
        if (c.options().dryRun()) {
            c.wouldDo(c.listener(), db, "RESUME " + db);
            return;
        }
        t.pgbouncer().resume(db);
    }

    String service(String section, String action) {
        StagingTarget t = c.target(section);
        ServiceAction a = ServiceAction.parse(action);
        if (c.options().dryRun() && a != ServiceAction.STATUS) {
            c.wouldDo(c.listener(), "pgbouncer", String.join(" ", t.pgbouncer().host().serviceCommand(a.verb())));
            return "";
        }
        ServiceResult r = t.pgbouncer().service(a);
        String output = String.join("\n", r.output());
        if (a == ServiceAction.STATUS && r.exitCode() == 3) {
            return (output.isBlank() ? "" : output + "\n") + "pgbouncer is not running on " + t.section().host();
        }
        if (!r.ok()) {
            throw new PgStagingException(String.join(" ", r.command()) + " exited with " + r.exitCode()
                    + (output.isBlank() ? "" : ": " + output),
                    "pgstaging manages pgbouncer through systemd; check that the pgbouncer unit exists on "
                            + t.section().host() + (t.section().useSudo() ? " and that sudo allows the command" : ""));
        }
        return output;
    }
}
