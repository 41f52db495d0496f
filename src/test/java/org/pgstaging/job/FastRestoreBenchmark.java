package org.pgstaging.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.testkit.NginxServer;
import org.pgstaging.testkit.StagingSandbox;
import org.pgstaging.testkit.Unprivileged;

/**
 * Prints figures, asserts nothing (excluded from the normal test run; run it with
 * {@code mvn test -Dtest=FastRestoreBenchmark}): the same dump restored with restore_mode = file
 * and = stream from an nginx limited to {@link #RATE} bytes/s, with the heap used meanwhile.
 */
class FastRestoreBenchmark {
    private static final long RATE = 8_000_000;
    private static final int ROWS = Integer.getInteger("bench.rows", 700_000);

    @Test
    void streamVersusFile() throws Exception {
        try (StagingSandbox sandbox = StagingSandbox.start(StagingSandbox.Web.NGINX)) {
            sandbox.pg.execute("postgres", "DROP DATABASE IF EXISTS bench_source");
            sandbox.pg.createDatabase("bench_source");
            sandbox.pg.execute("bench_source", "CREATE TABLE public.t AS SELECT g, md5(g::text) || md5((g * 7)::text)"
                    + " || md5((g * 13)::text) AS a FROM generate_series(1, " + ROWS + ") g");
            sandbox.pg.execute("bench_source", "CREATE INDEX ON public.t (a)");
            Path dir = Unprivileged.ownedTempDir("bench-dump");
            Path dump = dir.resolve("bench.dump");
            sandbox.pg.pgDump("bench_source", dump, "c");
            sandbox.publish("benchdb", "benchdb." + LocalDate.of(2026, 11, 20) + ".dump", dump);
            sandbox.publish("benchdb", "benchdb." + LocalDate.of(2026, 11, 21) + ".dump", dump);
            System.out.printf("dump: %d bytes, %d rows; nginx limit_rate %d B/s; max heap %d MB%n", Files.size(dump), ROWS, RATE,
                    Runtime.getRuntime().maxMemory() >> 20);
            try (NginxServer slow = NginxServer.start(sandbox.docroot, false, RATE)) {
                for (String mode : new String[] {"file", "stream"}) {
                    String date = mode.equals("file") ? "2026-11-20" : "2026-11-21";
                    Path ini = sandbox.writeConfig("benchdb", "backup_host = " + slow.hostAndPort(),
                            "restore_mode = " + mode, "schemas = ", "schemas_nodata = ", "tablename_nodata_regexp = ",
                            "restore_vacuum = False", "auto_switch = False");
                    StagingService s = new StagingService(ConfigLoader.load(ini), EngineOptions.defaults(), e -> { });
                    System.gc();
                    AtomicLong peak = new AtomicLong();
                    Thread sampler = new Thread(() -> {
                        Runtime rt = Runtime.getRuntime();
                        while (!Thread.currentThread().isInterrupted()) {
                            peak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                            try {
                                Thread.sleep(20);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
                    sampler.setDaemon(true);
                    sampler.start();
                    RestoreResult r = s.restore("benchdb.dev", DateSpec.parse(date), null);
                    sampler.interrupt();
                    System.out.printf("restore_mode = %-6s total %6d ms (download %6d ms, pg_restore %6d ms); peak heap used %d MB%n",
                            mode, r.total().toMillis(), r.download().toMillis(), r.restore().toMillis(), peak.get() >> 20);
                }
            }
            sandbox.pg.execute("postgres", "DROP DATABASE IF EXISTS bench_source");
            sandbox.pg.execute("postgres", "DROP DATABASE IF EXISTS benchdb_20261120");
            sandbox.pg.execute("postgres", "DROP DATABASE IF EXISTS benchdb_20261121");
        }
    }
}
