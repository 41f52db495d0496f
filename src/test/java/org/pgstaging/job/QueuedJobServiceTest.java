package org.pgstaging.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;
import org.pgstaging.restore.RestoreListener;

/**
 * The job layer enforces who may ask, approve, deny and cancel, whatever face calls it: no Slack
 * here, groups are a map. The queue is never started, so approved jobs stay queued.
 */
class QueuedJobServiceTest {
    private static final Map<String, Set<String>> GROUPS = Map.of("S0DBAS", Set.of("U0DAVE"));
    private static final JobPolicy POLICY = new JobPolicy(List.of("U0ALICE", "U0BOB"), List.of("U0CAROL", "S0DBAS"), false,
            (group, user) -> GROUPS.getOrDefault(group, Set.of()).contains(user));

    @TempDir Path dir;
    private QueuedJobService jobs;

    @BeforeEach
    void open() throws Exception {
        Path ini = Files.writeString(dir.resolve("staging.ini"),
                "[foodb.dev]\nbackup_base_url = /srv/dumps\nhost = localhost\n"
                        + "[barfoo.dev]\nbackup_base_url = /srv/dumps\nhost = localhost\napproval = none\n");
        StagingService staging = new StagingService(ConfigLoader.load(ini), EngineOptions.defaults(), RestoreListener.NONE);
        jobs = QueuedJobService.open(staging, org.pgstaging.job.store.StateLocation.directory(dir.resolve("state")), Duration.ofMinutes(10), POLICY);
    }

    @AfterEach
    void close() {
        jobs.close();
    }

    private JobView vacuum(String section, String by) {
        return jobs.submit(new JobSubmission(JobKind.VACUUMDB, section, DateSpec.parse("2026-11-24"), by, "C0STAGING"));
    }

    @Test
    void onlyRequestersMayAsk() {
        assertThatThrownBy(() -> vacuum("foodb.dev", "U0MALLORY")).isInstanceOf(JobRefusedException.class)
                .hasMessageContaining("not among the requesters").hasMessageContaining("U0MALLORY");
        assertThat(jobs.queue()).as("nothing stored for a refused request").isEmpty();
        assertThat(vacuum("foodb.dev", "U0ALICE").state()).isEqualTo(JobState.AWAITING_APPROVAL);
        assertThat(vacuum("barfoo.dev", "U0ALICE").state()).as("approval = none").isEqualTo(JobState.QUEUED);
    }

    @Test
    void approversApproveOthersJobsOnly() {
        JobView job = vacuum("foodb.dev", "U0ALICE");
        assertThatThrownBy(() -> jobs.approve(job.id(), "U0BOB")).isInstanceOf(JobRefusedException.class)
                .hasMessageContaining("Only approvers");
        assertThatThrownBy(() -> jobs.deny(job.id(), "U0BOB", "no")).isInstanceOf(JobRefusedException.class);
        assertThat(jobs.job(job.id()).orElseThrow().state()).isEqualTo(JobState.AWAITING_APPROVAL);

        JobView approved = jobs.approve(job.id(), "U0DAVE");
        assertThat(approved.state()).as("an approver through a group").isEqualTo(JobState.QUEUED);
        assertThat(approved.decision().userId()).isEqualTo("U0DAVE");

        JobView own = vacuum("foodb.dev", "U0CAROL");
        assertThatThrownBy(() -> jobs.approve(own.id(), "U0CAROL")).isInstanceOf(JobRefusedException.class)
                .hasMessageContaining("your own request");
    }

    @Test
    void theRequesterOrAnApproverCancels() {
        JobView job = vacuum("foodb.dev", "U0ALICE");
        assertThatThrownBy(() -> jobs.cancel(job.id(), "U0BOB")).isInstanceOf(JobRefusedException.class)
                .hasMessageContaining("Only the requester or an approver");
        assertThat(jobs.cancel(job.id(), "U0ALICE").state()).isEqualTo(JobState.CANCELLED);
        assertThat(jobs.cancel(vacuum("foodb.dev", "U0BOB").id(), "U0CAROL").state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void retriesAndImmediateChangesAreForRequesters() {
        JobView job = vacuum("foodb.dev", "U0ALICE");
        jobs.cancel(job.id(), "U0ALICE");
        assertThatThrownBy(() -> jobs.retry(job.id(), "U0MALLORY")).isInstanceOf(JobRefusedException.class);
        assertThat(jobs.retry(job.id(), "U0BOB").state()).isEqualTo(JobState.AWAITING_APPROVAL);
        assertThatThrownBy(() -> jobs.purge("foodb.dev", "U0MALLORY", "C0STAGING")).isInstanceOf(JobRefusedException.class);
        assertThatThrownBy(() -> jobs.drop("foodb.dev", DateSpec.parse("2026-11-24"), "U0MALLORY", "C0STAGING"))
                .isInstanceOf(JobRefusedException.class);
    }

    @Test
    void switchDropAndPurgeAreNotQueued() {
        assertThatThrownBy(() -> jobs.submit(new JobSubmission(JobKind.DROP, "foodb.dev", DateSpec.parse("2026-11-24"),
                "U0ALICE", null))).isInstanceOf(PgStagingException.class).hasMessageContaining("drop is not a queued job");
    }

    @Test
    void unknownJobsAndBadIdsAreSaidPlainly() {
        assertThatThrownBy(() -> jobs.approve("#999", "U0CAROL")).hasMessageContaining("no job #999");
        assertThatThrownBy(() -> jobs.approve("abc", "U0CAROL")).hasMessageContaining("no job 'abc'");
        assertThat(jobs.job("abc")).isEmpty();
    }
}
