package org.pgstaging.host;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a program on this machine: its output pumped line by line to the command's sinks (lines
 * and the kept stderr tail bounded), its standard input fed from a file or a stream through one
 * fixed buffer, and the whole process tree killed on interrupt.
 */
final class ProcessRunner implements CommandRunner {
    /** How many stderr lines a {@link CommandResult} keeps: enough to explain a failure, bounded whatever the command prints. */
    static final int STDERR_TAIL_LINES = 50;
    /** Longer lines are cut into pieces so a command printing binary junk cannot exhaust memory. */
    static final int MAX_LINE_CHARS = 64 * 1024;
    /** The one buffer between a {@link Command#stdinStream()} and the process: memory stays bounded whatever flows. */
    static final int STDIN_BUFFER_BYTES = 64 * 1024;

    @Override
    public CommandResult run(Command command) {
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command.argv());
        builder.environment().putAll(command.env());
        if (command.stdin() != null) {
            builder.redirectInput(command.stdin().toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new HostException("Cannot start '" + command.display() + "' on localhost: " + e.getMessage(),
                    "check that '" + command.argv().get(0) + "' is installed and on the PATH of pgstaging", e);
        }
        StdinFeeder feeder = null;
        if (command.stdinStream() != null) {
            feeder = new StdinFeeder(command.stdinStream(), process.getOutputStream());
            feeder.start();
        } else if (command.stdin() == null) {
            closeQuietly(process.getOutputStream());
        }
        Deque<String> stderrTail = new ArrayDeque<>();
        AtomicReference<RuntimeException> sinkFailure = new AtomicReference<>();
        Thread out = pump(process.getInputStream(), command.stdout(), null, sinkFailure, "stdout");
        Thread err = pump(process.getErrorStream(), command.stderr(), stderrTail, sinkFailure, "stderr");
        try {
            int exit = process.waitFor();
            joinPumps(out, err);
            // the source's close() may still be finishing its work (a copy being completed): wait for it
            IOException stdinFailure = null;
            if (feeder != null) {
                feeder.join();
                stdinFailure = feeder.failure;
            }
            if (sinkFailure.get() != null) {
                throw sinkFailure.get();
            }
            List<String> tail;
            synchronized (stderrTail) {
                tail = List.copyOf(stderrTail);
            }
            return new CommandResult(exit, tail, Duration.ofNanos(System.nanoTime() - started), stdinFailure);
        } catch (InterruptedException e) {
            destroyTree(process);
            if (feeder != null) feeder.interrupt(); // the source sees it and gives up instead of finishing
            Thread.currentThread().interrupt();
            throw new HostException("Interrupted: '" + command.display() + "' was killed on localhost",
                    "the command was cancelled; run it again when needed", e);
        }
    }

    /** Kills the process and everything it started; children are listed first, as they leave the tree once orphaned. */
    static void destroyTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        process.destroy();
        boolean exited = waitQuietly(process.onExit(), 5);
        for (ProcessHandle child : descendants) {
            if (!exited || child.isAlive()) {
                child.destroyForcibly();
            }
        }
        if (!exited) {
            process.destroyForcibly();
        }
    }

    private static boolean waitQuietly(CompletableFuture<Process> exit, int seconds) {
        try {
            exit.get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            // Already handling an interrupt: keep the flag, go on killing.
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * After the process exits its pipes normally reach end of file at once; a daemon it left behind may
     * keep them open, and we must not wait for that daemon.
     */
    private static void joinPumps(Thread... pumps) throws InterruptedException {
        for (Thread pump : pumps) {
            pump.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    private static Thread pump(InputStream stream, Consumer<String> sink, Deque<String> tail,
                               AtomicReference<RuntimeException> failure, String which) {
        Thread thread = new Thread(() -> {
            try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = reader.read()) != -1) {
                    if (c == '\n' || line.length() >= MAX_LINE_CHARS) {
                        deliver(stripCr(line), sink, tail, failure);
                        line.setLength(0);
                        if (c == '\n') {
                            continue;
                        }
                    }
                    line.append((char) c);
                }
                if (line.length() > 0) {
                    deliver(stripCr(line), sink, tail, failure);
                }
            } catch (IOException e) {
                // The stream closes when the process is destroyed: nothing more to read.
            }
        }, "localhost-" + which);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Copies a stream into the process's stdin on its own thread, so the process's output is drained
     * meanwhile. A write failure means the process stopped reading (it exited or closed stdin): not
     * an error of the source, which is then closed so it can abandon (or finish) the rest. A read
     * failure is the source's: stdin is closed so the process sees end of input, and it is reported.
     */
    private static final class StdinFeeder extends Thread {
        private final Supplier<InputStream> source;
        private final OutputStream stdin;
        private volatile IOException failure;

        StdinFeeder(Supplier<InputStream> source, OutputStream stdin) {
            super("localhost-stdin");
            setDaemon(true);
            this.source = source;
            this.stdin = stdin;
        }

        @Override
        public void run() {
            InputStream in = null;
            try {
                in = source.get();
                byte[] buf = new byte[STDIN_BUFFER_BYTES];
                while (!isInterrupted()) {
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (IOException e) {
                        failure = e;
                        break;
                    }
                    if (n < 0) break;
                    try {
                        stdin.write(buf, 0, n);
                    } catch (IOException processStoppedReading) {
                        break;
                    }
                }
            } catch (RuntimeException e) {
                failure = new IOException("cannot open the standard input: " + e.getMessage(), e);
            } finally {
                closeQuietly(stdin);
                if (in != null) {
                    try {
                        in.close();
                    } catch (IOException e) {
                        if (failure == null) failure = e;
                    } catch (RuntimeException e) {
                        if (failure == null) failure = new IOException(e.getMessage(), e);
                    }
                }
            }
        }
    }

    private static String stripCr(StringBuilder line) {
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
    }

    /** A failing sink must not stop the draining, or the process would block on a full pipe. */
    private static void deliver(String line, Consumer<String> sink, Deque<String> tail,
                                AtomicReference<RuntimeException> failure) {
        if (tail != null) {
            synchronized (tail) {
                if (tail.size() == STDERR_TAIL_LINES) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            }
        }
        try {
            sink.accept(line);
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // The process may already be gone.
        }
    }
}
