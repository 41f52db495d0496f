package org.pgstaging.cli;

import java.io.PrintWriter;
import java.time.Duration;
import org.pgstaging.job.StagingService;

/** {@code pgstaging}: the jar's entry point. */
public final class Main {
    /** How long Ctrl-C waits for a restore to clean up (drop its database, remove its dump). */
    private static final Duration CLEANUP_GRACE = Duration.ofSeconds(30);

    private Main() {}

    public static void main(String[] args) {
        if (Boolean.getBoolean("pgstaging.cds.preload")) preloadForArchive();
        // help and version reach no server: warming up would only compete with them for the CPU
        if (!asksForHelpOrVersion(args)) StagingService.warmUp();
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        Cli cli = new Cli(engines(), System.in, out, err,
                Terminals::stdinIsTerminal, Terminals.stdoutIsTerminal());
        Worker worker = new Worker();
        // SIGINT/SIGTERM start the shutdown hooks: interrupt the command and let it clean up
        Thread hook = new Thread(() -> {
            // a script or console waiting for its next line has nothing to clean up: no 30 s wait
            // on a read that no interrupt ends
            if (!worker.busy() || cli.stopIfIdle()) return;
            cli.interrupted();
            if (!worker.interruptAndWait(CLEANUP_GRACE)) {
                err.println("pgstaging: error: interrupted; cleanup did not finish within "
                        + CLEANUP_GRACE.toSeconds() + "s");
            }
            err.flush();
        }, "pgstaging-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = worker.run("pgstaging-main", () -> cli.run(args));
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down (Ctrl-C): the JVM exits with 130 once the hook returns
        }
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** The engine of each configuration: every change is recorded in the history of its state ([slack] state_url, else state_dir). */
    static EngineFactory engines() {
        // the history is opened on the first change only: commands that change nothing never touch it
        return (config, options, listener) -> new StagingService(config, options, listener).recordingHistory();
    }

    private static boolean asksForHelpOrVersion(String[] args) {
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version") || a.equals("help")) return true;
        }
        return false;
    }

    /**
     * The launcher's archiving run: see {@link ClassArchiveTraining}; the warm-up runs to its end
     * here, whatever the command, so that the classes it picks are archived too. A failure only
     * makes the archive thinner.
     */
    private static void preloadForArchive() {
        try {
            ClassArchiveTraining.loadAll();
        } catch (java.io.IOException | java.net.URISyntaxException | RuntimeException e) {
            // the command still runs; its own classes are archived anyway
        }
        StagingService.warmUpNow();
    }
}
