package org.pgstaging.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches a PostgreSQL server from the outside while restores run: every few milliseconds, how
 * many dated copies ({@code name_YYYYMMDD}) have a session of pgstaging or of the tools it runs
 * (pg_restore, psql, vacuumdb). "One restore at a time per server" means never more than one.
 */
public final class RestoreSampler implements AutoCloseable {
    private static final String SQL = "SELECT count(DISTINCT datname) FROM pg_stat_activity"
            + " WHERE datname ~ '_[0-9]{8}$' AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            + " AND application_name IN ('pgstaging', 'pg_restore', 'psql', 'vacuumdb')";

    private final AtomicInteger most = new AtomicInteger();
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicInteger busySamples = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    private RestoreSampler(PostgresServer pg) {
        thread = new Thread(() -> {
            try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
                while (running) {
                    try (ResultSet rs = st.executeQuery(SQL)) {
                        rs.next();
                        int n = rs.getInt(1);
                        most.accumulateAndGet(n, Math::max);
                        samples.incrementAndGet();
                        if (n > 0) busySamples.incrementAndGet();
                    }
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException("sampling pg_stat_activity failed", e);
            }
        }, "restore-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    public static RestoreSampler start(PostgresServer pg) {
        return new RestoreSampler(pg);
    }

    /** The most dated copies seen being restored (or vacuumed, or sourced) at one instant. */
    public int mostAtOnce() {
        return most.get();
    }

    /** Samples in which some restore was seen: zero means the sampler saw nothing and proves nothing. */
    public int busySamples() {
        return busySamples.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
