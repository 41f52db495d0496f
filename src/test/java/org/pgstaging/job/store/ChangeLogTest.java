package org.pgstaging.job.store;

import org.pgstaging.job.model.Change;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The shared history: what it keeps, and several processes writing it at once, on H2 files and on PostgreSQL. */
@ParameterizedClass
@EnumSource(StateBackend.class)
class ChangeLogTest {
    @Parameter StateBackend backend;
    @TempDir Path dir;
    StateLocation where;

    @BeforeEach
    void pickLocation() {
        where = backend.fresh(dir);
    }

    @Test
    void keepsEachChangeWithItsStepsAndReadsNewestFirst() {
        try (ChangeLog log = ChangeLog.open(where, Clock.systemUTC())) {
            long a = log.started("restore", "foodb.dev", "latest", "db1:5432", "alice@c1 (console)", null);
            log.ended(a, Change.Outcome.DONE, "foodb_20261124", null, null, null, 123_456L,
                    List.of(new Change.StepTime("DOWNLOAD", 1500), new Change.StepTime("PG_RESTORE", 4200)));
            long b = log.started("drop", "bardb.dev", "oldest", "db2:5432", "Slack user U0ALICE", null);
            log.ended(b, Change.Outcome.FAILED, null, "refusing to drop bardb_20261120", "switch first", "nothing was done",
                    null, List.of());
            long c = log.started("switch", "foodb.dev", null, "db1:5432", "bob@c2 (console)", null);

            List<Change> all = log.read(null, null, 10);
            assertThat(all).extracting(Change::id).containsExactly(c, b, a);
            assertThat(all.get(2).steps()).containsExactly(new Change.StepTime("DOWNLOAD", 1500), new Change.StepTime("PG_RESTORE", 4200));
            assertThat(all.get(2).database()).isEqualTo("foodb_20261124");
            assertThat(all.get(2).dumpBytes()).isEqualTo(123_456L);
            assertThat(all.get(1).outcome()).isEqualTo(Change.Outcome.FAILED);
            assertThat(all.get(1).hint()).isEqualTo("switch first");
            assertThat(all.get(0).outcome()).isEqualTo(Change.Outcome.RUNNING);
            assertThat(all.get(0).finished()).isNull();
            assertThat(log.read("foodb.dev", null, 10)).extracting(Change::id).containsExactly(c, a);
            assertThat(log.read(null, null, 1)).extracting(Change::id).containsExactly(c);
            assertThat(log.read(null, Instant.now().plusSeconds(60), 10)).isEmpty();

            // whoever holds db1's lock knows the RUNNING changes there belong to dead processes
            assertThat(log.died("db1:5432", "the process making it died")).isEqualTo(1);
            assertThat(log.read(null, null, 1).get(0).outcome()).isEqualTo(Change.Outcome.DIED);
        }
    }

    @Test
    void severalProcessesWriteOneHistory() throws Exception {
        try (ChangeLog log = ChangeLog.open(where, Clock.systemUTC())) {
            log.ended(log.started("purge", "foodb.dev", null, "db1:5432", "alice@c1 (console)", null),
                    Change.Outcome.DONE, null, null, null, null, null, List.of());
            // another JVM opens the same history while this one has it open, writes, and exits
            assertThat(runWriter(20, 0)).isZero();
            log.ended(log.started("purge", "foodb.dev", null, "db1:5432", "alice@c1 (console)", null),
                    Change.Outcome.DONE, null, null, null, null, null, List.of());
            assertThat(log.read(null, null, 100)).hasSize(22);
        }
        // the other JVM opens it first and keeps it a while: this one comes after, writes through it,
        // and goes on writing once the first has exited
        Process holder = writer(5, 4000);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).isEqualTo("written");
            try (ChangeLog log = ChangeLog.open(where, Clock.systemUTC())) {
                log.ended(log.started("drop", "foodb.dev", null, "db1:5432", "carol@c3 (console)", null),
                        Change.Outcome.DONE, null, null, null, null, null, List.of());
                assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
                log.ended(log.started("drop", "foodb.dev", null, "db1:5432", "carol@c3 (console)", null),
                        Change.Outcome.DONE, null, null, null, null, null, List.of());
                assertThat(log.read(null, null, 100)).hasSize(29);
            }
        }
    }

    private int runWriter(int count, long holdMillis) throws Exception {
        Process p = writer(count, holdMillis);
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private Process writer(int count, long holdMillis) throws Exception {
        return new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"), ChangeLogWriter.class.getName(),
                StateBackend.argument(where), Integer.toString(count), Long.toString(holdMillis)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
