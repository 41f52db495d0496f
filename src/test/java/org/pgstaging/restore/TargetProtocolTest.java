package org.pgstaging.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pgstaging.PgStagingException;

class TargetProtocolTest {
    @Test
    void everyEventComesBackAsItWasEmitted() {
        List<Object> all = List.of(
                new RestoreEvent.StepStarted("foo_20261124", Step.DOWNLOAD, "stream http://b/foo.dump"),
                new RestoreEvent.StepProgress("foo_20261124", Step.PG_RESTORE, 12, 40, "items", 3.5),
                new RestoreEvent.StepFinished("foo_20261124", Step.VACUUM, Duration.ofMillis(1234), "foo_20261124"),
                new RestoreEvent.Detail("foo_20261124", Step.PG_RESTORE, "pg_restore: warning: \"é\" \\ \n"),
                new RestoreEvent.Detail("foo_20261124", null, "no step"),
                new RestoreEvent.Failed("foo_20261124", Step.PG_RESTORE, "pg_restore exited with 1", null, "dropped database foo_20261124"),
                new RestoreEvent.Completed("foo_20261124", Duration.ofSeconds(9), false),
                new TargetProtocol.Done("foo_20261124", Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(3), Duration.ofMillis(4)),
                new TargetProtocol.Error(null, "bad request", "send the same version", "nothing was done"));
        for (Object o : all) {
            String line = o instanceof RestoreEvent e ? TargetProtocol.encode(e)
                    : o instanceof TargetProtocol.Done d ? TargetProtocol.encode(d) : TargetProtocol.encode((TargetProtocol.Error) o);
            assertThat(line).doesNotContain("\n");
            assertThat(TargetProtocol.decode(line)).isEqualTo(o);
        }
        assertThatThrownBy(() -> TargetProtocol.decode("pg_restore: error: x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRequestKeepsItsFilesAndNeverShowsItsPassword() {
        TargetRestoreRequest r = new TargetRestoreRequest("foo.dev", Map.of("dbname", "foo", "tmpdir", "/var/tmp/x"),
                LocalDate.of(2026, 11, 24), "foo_20261124",
                List.of(new TargetRestoreRequest.SqlFile("01-pre.sql", "SELECT 'é';\n")), List.of(), "s3cret");
        TargetRestoreRequest back = TargetRestoreRequest.fromJson(r.toJson());
        assertThat(back).isEqualTo(r);
        assertThat(r.toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> new TargetRestoreRequest.SqlFile("../../etc/cron.d/x.sql", "")).isInstanceOf(PgStagingException.class);
        assertThatThrownBy(() -> TargetRestoreRequest.fromJson("{\"section\":1}")).isInstanceOf(PgStagingException.class)
                .hasMessageContaining("not what pgstaging sends");
    }
}
