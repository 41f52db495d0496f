package org.pgstaging.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.config.StateUrl;
import org.pgstaging.job.model.Change;
import org.pgstaging.job.store.ChangeLog;
import org.pgstaging.job.store.StateLocation;
import org.pgstaging.testkit.PostgresServer;

/** A console whose configuration has [slack] state_url reads the history the bot wrote there, not state_dir's. */
class HistoryOnStateDatabaseTest {
    @TempDir Path dir;

    @Test
    void theConsoleReadsTheHistoryOfTheStateDatabase() throws Exception {
        String url = freshStateUrl("console_history_");
        try (ChangeLog bots = ChangeLog.open(StateLocation.postgres(StateUrl.parse(url)), Clock.systemUTC())) {
            long id = bots.started("restore", "foodb.dev", "2026-11-24", "db1:5432", "Slack user U0ALICE", "U0DBA");
            bots.ended(id, Change.Outcome.DONE, "foodb_20261124", null, null, null, null, List.of());
        }
        Path stateDir = dir.resolve("state");
        Path ini = Files.writeString(dir.resolve("pgstaging.ini"), "[DEFAULT]\nbackup_base_url = /dumps\nhost = localhost\n\n"
                + "[foodb.dev]\n\n[slack]\nstate_dir = " + stateDir + "\nstate_url = " + url + "\n");

        assertThat(console(ini, "history")).contains("Slack user U0ALICE").contains("restore foodb.dev 2026-11-24")
                .contains("foodb_20261124");
        assertThat(stateDir.resolve("history.mv.db")).as("nothing in state_dir").doesNotExist();
    }

    /** The console's queue shows what the bot queued in the state database, after what the server's lock says. */
    @Test
    void theConsolesQueueShowsTheJobsTheBotQueued() throws Exception {
        PostgresServer server = PostgresServer.shared();
        String url = freshStateUrl("console_queue_");
        String serverKey = "127.0.0.1:" + server.port();
        try (org.pgstaging.job.store.JobStore bot = org.pgstaging.job.store.JobStore.open(
                StateLocation.postgres(StateUrl.parse(url)), Clock.systemUTC())) {
            bot.create(new org.pgstaging.job.store.JobRequest(org.pgstaging.job.model.JobKind.RESTORE, "foodb.dev",
                    "2026-11-29", "foodb_20261129", serverKey, "U0ALICE1", false, "C0STAGING1", null));
        }
        Path ini = Files.writeString(dir.resolve("pgstaging.ini"), "[DEFAULT]\nbackup_base_url = /dumps\nhost = 127.0.0.1\n"
                + "postgres_port = " + server.port() + "\ndbuser = " + server.superuser() + "\nmaintdb = postgres\n\n"
                + "[foodb.dev]\n\n[slack]\nstate_dir = " + dir.resolve("state") + "\nstate_url = " + url + "\n");

        assertThat(console(ini, "queue")).contains(serverKey).contains("restore foodb.dev 2026-11-29 (queued in the bot)")
                .contains("Slack user U0ALICE1, job #1");
    }

    /** A state database nobody used yet, as a state_url. */
    private static String freshStateUrl(String prefix) {
        PostgresServer server = PostgresServer.shared();
        String db = prefix + ProcessHandle.current().pid();
        server.createDatabase(db);
        return server.jdbcUrl(db) + "?user=" + server.superuser() + "&sslmode=disable";
    }

    /** What {@code pgstaging -c INI verb} prints, once it has exited 0. */
    private static String console(Path ini, String verb) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new Cli(Main.engines(), new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true), () -> false, false).run(new String[] {"-c", ini.toString(), verb});
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }
}
