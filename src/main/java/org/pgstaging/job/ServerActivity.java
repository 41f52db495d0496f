package org.pgstaging.job;

import java.time.Instant;
import java.util.List;

/**
 * What runs on one database server and what waits for it, whoever asked (the bot, consoles,
 * scripts, on any machine), as the server's own lock says: the server is the authority.
 *
 * @param server   {@code host:port}
 * @param sections the configured sections on that server
 * @param turns    the change running first (position 0), then those waiting, in the order they came
 * @param error    why the server could not be asked (the turns are then empty), else null
 */
public record ServerActivity(String server, List<String> sections, List<Turn> turns, String error) {

    public ServerActivity {
        sections = List.copyOf(sections);
        turns = List.copyOf(turns);
    }

    /**
     * @param position       0 for the change running, 1.. for those waiting
     * @param what           the change, e.g. {@code restore foodb.dev 2026-11-30}
     * @param by             who started it: a console's {@code user@host (console)}, a Slack user and job
     * @param since          when it started running, or started waiting
     * @param estimatedStart for a waiting change, from the history of such changes; null when unknown
     * @param jobId          the bot's job this change is, null for consoles, scripts and buttons
     */
    public record Turn(int position, String what, String by, Instant since, Instant estimatedStart, String jobId) {
        public boolean running() {
            return position == 0;
        }
    }
}
