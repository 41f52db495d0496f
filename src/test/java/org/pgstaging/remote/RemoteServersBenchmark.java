package org.pgstaging.remote;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.host.OpenSsh;
import org.pgstaging.host.SshHost;
import org.pgstaging.host.SshTarget;
import org.pgstaging.job.EngineOptions;
import org.pgstaging.job.StagingService;
import org.pgstaging.testkit.RemoteStaging;

/**
 * What remote servers cost, on the test environment of the remote tests (two servers on loopback,
 * sshd, the installed package; needs root and a built package):
 * <pre>
 * mvn -q -DskipTests package && mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.pgstaging.remote.RemoteServersBenchmark [rounds]
 * </pre>
 * Prints medians: the first contact with a server (connection + client version check), one
 * pgbouncer.ini read over the shared connection, {@code databases} of a remote section, a
 * {@code dbsizes --all} over 20 sections on 2 servers in a fresh process, and a restore of the
 * fixture dump from the console and on the server.
 */
public final class RemoteServersBenchmark {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        RemoteStaging env = RemoteStaging.start();
        try {
            LocalDate day = LocalDate.of(2026, 11, 24);
            SshTarget target = new SshTarget("127.0.0.2", Optional.of(RemoteStaging.LOGIN), Optional.of(env.sshd.port()),
                    Optional.of(env.sshd.clientKey()), Optional.of(env.sshd.knownHosts()), Optional.empty());
            List<Double> contact = new ArrayList<>();
            List<Double> read = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                OpenSsh ssh = new OpenSsh(target);
                SshHost host = new SshHost(ssh, "/usr/bin/pgstaging-client", true);
                long t0 = System.nanoTime();
                host.verify();
                contact.add(ms(t0));
                for (int j = 0; j < 3; j++) {
                    long t1 = System.nanoTime();
                    host.readFile(env.a.bouncer().configFile());
                    read.add(ms(t1));
                }
                ssh.close();
            }
            StringBuilder ini = new StringBuilder(env.defaults());
            for (int i = 0; i < 10; i++) {
                ini.append(env.section("bench" + i + ".a", env.a, "bench" + i)).append(env.section("bench" + i + ".b", env.b, "bench" + i));
            }
            ini.append(env.section("benchc.a", env.a, "benchc")).append(env.section("bencht.a", env.a, "bencht", "restore_on = target"));
            env.publishDump("benchc", day);
            env.publishDump("bencht", day);
            Path file = env.writeConfig("bench.ini", ini.toString());
            StagingService s = new StagingService(ConfigLoader.load(file), EngineOptions.defaults(), null);
            List<Double> databases = new ArrayList<>();
            for (int i = 0; i < rounds * 3; i++) {
                long t = System.nanoTime();
                s.databases("bench" + (i % 10) + ".a");
                databases.add(ms(t));
            }
            List<Double> dbsizes = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                long t = System.nanoTime();
                Process p = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"), "org.pgstaging.cli.Main",
                        "-c", file.toString(), "dbsizes", "--all").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("dbsizes failed");
                dbsizes.add(ms(t));
            }
            List<Double> console = new ArrayList<>();
            List<Double> onTarget = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                for (String section : List.of("benchc.a", "bencht.a")) {
                    long t = System.nanoTime();
                    s.restore(section, DateSpec.latest(), null);
                    (section.equals("benchc.a") ? console : onTarget).add(ms(t));
                    s.switchTo(section, DateSpec.latest());
                    String db = section.startsWith("benchc") ? "benchc" : "bencht";
                    env.a.pg().execute("postgres", "DROP DATABASE " + db + "_20261124 WITH (FORCE)");
                    removeEntries(env, db);
                }
            }
            System.out.printf("rounds: %d (median ms)%n", rounds);
            System.out.printf("first contact (ssh connection + sudo pgstaging-client version): %.0f%n", median(contact));
            System.out.printf("pgbouncer.ini read over the shared connection:                   %.0f%n", median(read));
            System.out.printf("databases of a remote section (read + JDBC):                     %.0f%n", median(databases));
            System.out.printf("dbsizes --all, 20 sections on 2 servers, fresh JVM:              %.0f%n", median(dbsizes));
            System.out.printf("restore of the fixture dump, restore_on = console:               %.0f%n", median(console));
            System.out.printf("restore of the fixture dump, restore_on = target:                %.0f%n", median(onTarget));
        } finally {
            env.close();
        }
    }

    /** The alias and the copy's entry go, so the next round restores the same date again. */
    private static void removeEntries(RemoteStaging env, String db) throws Exception {
        Path ini = env.a.bouncer().configFile();
        List<String> kept = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(ini)) {
            if (!line.startsWith(db + " ") && !line.startsWith(db + "_")) kept.add(line);
        }
        java.nio.file.Files.write(ini, kept);
    }

    private static double ms(long since) {
        return (System.nanoTime() - since) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
