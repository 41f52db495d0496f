package org.pgstaging.job.store;

import org.pgstaging.job.model.JobKind;

/**
 * Child process for tests, given a state_dir or a state_url ({@link StateBackend#argument}).
 * {@code hold}: keeps the job store open until stdin closes.
 * {@code request-and-die}: stores a request and an approval, prints the job id and halts at once,
 * as a killed process would, with no shutdown of the database.
 */
public final class HoldStateDir {
    private HoldStateDir() {
    }

    public static void main(String[] args) throws Exception {
        JobStore store = JobStore.open(StateBackend.fromArgument(args[0]), java.time.Clock.systemUTC());
        if (args[1].equals("request-and-die")) {
            Job job = store.create(new JobRequest(JobKind.RESTORE, "foodb.dev", "latest", null, "db1:5432", "alice",
                    true, null, null));
            store.approve(job.id(), "dba");
            System.out.println(job.id());
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
        System.out.println("open");
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close our stdin
        }
        store.close();
    }
}
