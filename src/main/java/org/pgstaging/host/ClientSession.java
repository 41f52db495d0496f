package org.pgstaging.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of pgstaging-client on a server, over SSH: its standard input and output are the
 * protocol, its standard error is kept (bounded) to explain a failure. Closing it kills the local
 * ssh process, which ends the remote session: the client sees its input close and stops.
 */
public final class ClientSession implements AutoCloseable {
    private static final int STDERR_TAIL_LINES = 50;

    private final SshHost host;
    private final Process process;
    private final String doing;
    private final Deque<String> stderr = new ArrayDeque<>();
    private final Thread stderrPump;

    ClientSession(SshHost host, Process process, String doing) {
        this.host = host;
        this.process = process;
        this.doing = doing;
        this.stderrPump = new Thread(this::pumpStderr, "ssh-stderr-" + host.name());
        stderrPump.setDaemon(true);
        stderrPump.start();
    }

    public OutputStream stdin() {
        return process.getOutputStream();
    }

    public InputStream stdout() {
        return process.getInputStream();
    }

    /** Waits for the client to exit; an interrupt kills the session and throws. */
    public int waitFor() {
        try {
            int exit = process.waitFor();
            stderrPump.join(TimeUnit.SECONDS.toMillis(5));
            return exit;
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new HostException("Interrupted while " + doing + " on " + host.name(), "the remote command was stopped", e);
        }
    }

    /** Waits at most {@code seconds} for the exit; null when it is still running. */
    public Integer waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) return null;
        stderrPump.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Why the session ended badly: waits for its exit, then explains exit status and standard error. */
    public HostException failure() {
        int exit = waitFor();
        return host.explain(exit, stderrTail(), doing);
    }

    public List<String> stderrTail() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    private void pumpStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (stderr) {
                    if (stderr.size() == STDERR_TAIL_LINES) stderr.removeFirst();
                    stderr.addLast(line.length() > 4096 ? line.substring(0, 4096) : line);
                }
            }
        } catch (IOException ended) {
            // the process is gone
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        host.sessionEnded();
    }
}
