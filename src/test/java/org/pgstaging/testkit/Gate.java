package org.pgstaging.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Holding a restore at a known point without timing: a pre SQL file that waits until a role exists
 * (roles are visible from every database), failing after {@code seconds} so a broken test cannot
 * hang; and a wait for a condition, failing with what was awaited.
 */
public final class Gate {
    private Gate() {}

    /** The SQL of a gate named {@code role} giving up after about {@code seconds}. */
    public static String sql(String role, int seconds) {
        return "DO $$\nBEGIN\n"
                + "  FOR i IN 1.." + seconds * 20 + " LOOP\n"
                + "    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role + "') THEN RETURN; END IF;\n"
                + "    PERFORM pg_sleep(0.05);\n"
                + "  END LOOP;\n"
                + "  RAISE EXCEPTION 'test gate " + role + " never opened';\n"
                + "END $$;\n";
    }

    /** Opens gate {@code role} on {@code pg}. */
    public static void open(PostgresServer pg, String role) {
        pg.execute("postgres", "CREATE ROLE " + role + " NOLOGIN");
    }

    /** Whether a restore into {@code database} on {@code pg} is at its gate (a session of it runs the gate's DO block). */
    public static boolean reached(PostgresServer pg, String database) {
        try (var c = pg.connect("postgres"); var st = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND query LIKE 'DO $$%'")) {
            st.setString(1, database);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    /** Waits until {@code condition} holds, at most {@code patience}. */
    public static void await(String what, Duration patience, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out after " + patience + " waiting for " + what);
            Thread.sleep(50);
        }
    }
}
