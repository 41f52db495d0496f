package org.pgstaging.job.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.pgstaging.job.model.JobMessages;

/** Which Slack messages belong to which job, in the state store, on H2 files and on PostgreSQL. */
@ParameterizedClass
@EnumSource(StateBackend.class)
class SlackMessagesTest {
    @Parameter
    StateBackend backend;
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2026-11-30T14:00:00Z"));
    StateLocation where;
    JobStore store;

    @BeforeEach
    void open() {
        where = backend.fresh(dir);
        store = JobStore.open(where, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void messagesSurviveReopeningAndOnlyTheRequestIsAThread() {
        store.slackMessages().put("12", new JobMessages("C0STAGING", "1764500000.000100", "C0APPROVALS", "1764500000.000200", null));
        store.slackMessages().put("13", new JobMessages("C0STAGING", "1764500000.000300", null, null, null));
        store.slackMessages().put("12", store.slackMessages().find("12").orElseThrow().withCompletion("1764500000.000400"));

        store.close();
        store = JobStore.open(where, clock);
        SlackMessages m = store.slackMessages();
        assertThat(m.find("12")).contains(new JobMessages("C0STAGING", "1764500000.000100", "C0APPROVALS",
                "1764500000.000200", "1764500000.000400"));
        assertThat(m.jobOfThread("C0STAGING", "1764500000.000300")).contains("13");
        assertThat(m.jobOfThread("C0APPROVALS", "1764500000.000200")).isEmpty();
        assertThat(m.find("14")).isEmpty();
    }

    @Test
    void onlyTheNewestEntriesAreKept() {
        StoreThread session = new StoreThread(where);
        session.open(() -> where.dataSource("pgstaging", "DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0").getConnection());
        try {
            keepsTheNewest(new SlackMessages(session, 3));
        } finally {
            session.close();
        }
    }

    private static void keepsTheNewest(SlackMessages m) {
        for (int i = 1; i <= 4; i++) m.put("j" + i, new JobMessages("C0STAGING", "1764500000.00010" + i, null, null, null));
        m.put("j2", m.find("j2").orElseThrow().withCompletion("1764500000.000900")); // touched: newest again
        m.put("j5", new JobMessages("C0STAGING", "1764500000.000105", null, null, null));
        assertThat(m.find("j1")).isEmpty();
        assertThat(m.find("j3")).as("the oldest untouched one goes").isEmpty();
        assertThat(m.find("j2")).isPresent();
        assertThat(m.find("j4")).isPresent();
        assertThat(m.jobOfThread("C0STAGING", "1764500000.000105")).contains("j5");
    }
}
