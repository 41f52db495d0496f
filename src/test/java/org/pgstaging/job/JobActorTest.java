package org.pgstaging.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a job names itself in a server's lock, and how the queue reads it back. */
class JobActorTest {

    @Test
    void theJobNumberIsReadBackFromWhatTheJobSaysOnlyFromJobs() {
        assertThat(JobExecution.jobOf("Slack user U0ALICE01, job #42, approved by U0CAROL01")).isEqualTo("42");
        assertThat(JobExecution.jobOf("Slack user U0ALICE01, job #7")).isEqualTo("7");
        assertThat(JobExecution.jobOf("Slack user U0ALICE01")).as("a button").isNull();
        assertThat(JobExecution.jobOf("alice@stage1 (console)")).isNull();
        assertThat(JobExecution.jobOf(null)).isNull();
    }
}
