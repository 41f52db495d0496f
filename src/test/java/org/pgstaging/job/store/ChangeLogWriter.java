package org.pgstaging.job.store;

import org.pgstaging.job.model.Change;
import java.util.List;

/** Another process using the same history (a state_dir or a state_url, see {@link StateBackend#argument}): records {@code count} changes, then keeps it open {@code holdMillis}. */
public final class ChangeLogWriter {
    public static void main(String[] args) throws Exception {
        try (ChangeLog log = ChangeLog.open(StateBackend.fromArgument(args[0]), java.time.Clock.systemUTC())) {
            for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                long id = log.started("restore", "other.dev", "latest", "db1:5432", "bob@other (console)", null);
                log.ended(id, Change.Outcome.DONE, "other_2026112" + (i % 10), null, null, null, 1000L,
                        List.of(new Change.StepTime("PG_RESTORE", 5)));
            }
            System.out.println("written");
            System.out.flush();
            Thread.sleep(Long.parseLong(args[2]));
        }
    }
}
