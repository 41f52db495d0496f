package org.pgstaging.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The machine pgstaging runs on: where client programs run, and the database server's machine
 * when a section's {@code host} is this one (pgstaging-client on a server uses it too).
 */
public final class LocalHost implements Host, CommandRunner {
    /** How many stderr lines a {@link CommandResult} keeps: enough to explain a failure, bounded whatever the command prints. */
    static final int STDERR_TAIL_LINES = 50;
    /** Longer lines are cut into pieces so a command printing binary junk cannot exhaust memory. */
    static final int MAX_LINE_CHARS = 64 * 1024;
    /** Configuration files only: a bigger file is a mistake (wrong path), not something to load in memory. */
    static final long MAX_READ_BYTES = 16L * 1024 * 1024;
    /** The one buffer between a {@link Command#stdinStream()} and the process: memory stays bounded whatever flows. */
    static final int STDIN_BUFFER_BYTES = 64 * 1024;
    private static final Set<PosixFilePermission> NEW_FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");
    /** The systemd unit {@link #service} manages. */
    private static final String PGBOUNCER_UNIT = "pgbouncer";

    private final boolean useSudo;

    /** A local host whose service commands run without sudo. */
    public LocalHost() {
        this(false);
    }

    /** @param useSudo run service commands as {@code sudo -n systemctl ...} (fail rather than ask for a password) */
    public LocalHost(boolean useSudo) {
        this.useSudo = useSudo;
    }

    @Override
    public String name() {
        return "localhost";
    }

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

    private static boolean waitQuietly(java.util.concurrent.CompletableFuture<Process> exit, int seconds) {
        try {
            exit.get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
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
        private final java.util.function.Supplier<InputStream> source;
        private final java.io.OutputStream stdin;
        private volatile IOException failure;

        StdinFeeder(java.util.function.Supplier<InputStream> source, java.io.OutputStream stdin) {
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

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // The process may already be gone.
        }
    }

    @Override
    public String readFile(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_READ_BYTES) {
                throw new HostException("File " + file + " on localhost is " + size + " bytes, too big for a configuration file",
                        "check the path: pgstaging only reads small text files this way", null);
            }
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new HostException("File " + file + " does not exist on localhost",
                    "check the path in the configuration", e);
        } catch (CharacterCodingException e) {
            throw new HostException("File " + file + " on localhost is not valid UTF-8",
                    "convert it to UTF-8 (e.g. iconv) or check the path", e);
        } catch (IOException e) {
            throw new HostException("Cannot read " + file + " on localhost: " + e,
                    "check that the file exists and that pgstaging may read it", e);
        }
    }

    private void replaceFileNow(Path file, String content) {
        Path target = resolveLinks(file);
        Path dir = target.toAbsolutePath().getParent();
        String name = target.getFileName().toString();
        PosixFileAttributes previous = attributesOrNull(target);
        Path temp = null;
        Path backupTemp = null;
        try {
            temp = Files.createTempFile(dir, "." + name + ".pgstaging-", ".tmp");
            writeDurably(temp, content.getBytes(StandardCharsets.UTF_8));
            applyAttributes(temp, previous);
            if (previous != null) {
                backupTemp = Files.createTempFile(dir, "." + name + ".bak.pgstaging-", ".tmp");
                writeDurably(backupTemp, Files.readAllBytes(target));
                applyAttributes(backupTemp, previous);
                Files.move(backupTemp, dir.resolve(name + ".bak"), StandardCopyOption.ATOMIC_MOVE);
                backupTemp = null;
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
            syncDirectory(dir);
        } catch (AtomicMoveNotSupportedException e) {
            throw new HostException("Cannot replace " + file + " atomically on localhost: " + e.getMessage(),
                    "the file system of " + dir + " does not support atomic rename", e);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new HostException("Cannot replace " + file + " on localhost: " + e,
                    "check that pgstaging may write in " + dir + " and change file owners (run as root or use sudo); "
                            + "the file was left unchanged", e);
        } finally {
            deleteQuietly(temp);
            deleteQuietly(backupTemp);
        }
    }

    @Override
    public <T> T withLockedFile(Path file, java.util.function.Function<LockedFile, T> work) {
        return withFileLock(file, () -> work.apply(new LockedFile() {
            @Override
            public String read() {
                return readFile(file);
            }

            @Override
            public void replace(String content) {
                replaceFile(file, content);
            }
        }));
    }

    @Override
    public CommandResult service(String verb, Consumer<String> output) {
        return run(Command.of(serviceCommand(verb)).withOutput(output, output));
    }

    @Override
    public List<String> serviceCommand(String verb) {
        List<String> argv = new java.util.ArrayList<>();
        if (useSudo) {
            argv.addAll(List.of("sudo", "-n"));
        }
        argv.addAll(List.of("systemctl", verb, PGBOUNCER_UNIT));
        return List.copyOf(argv);
    }

    /**
     * Replaces a file atomically: writes a temporary file in the same directory, keeps the previous
     * file's owner and mode, saves the previous content as {@code file + ".bak"}, then renames over it.
     */
    public void replaceFile(Path file, String content) {
        replaceFileNow(file, content);
    }

    /** One lock per file within this JVM: FileChannel locks are per process and would throw on a second taker. */
    private static final java.util.concurrent.ConcurrentHashMap<Path, java.util.concurrent.locks.ReentrantLock> IN_PROCESS =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Group-writable so that pgstaging run by another member of the group can take the lock too. */
    private static final Set<PosixFilePermission> LOCK_FILE_MODE = PosixFilePermissions.fromString("rw-rw-r--");

    /**
     * Runs {@code work} holding an exclusive lock on {@code file} against every other pgstaging, in
     * this process or another one. The lock is a separate file next to {@code file} (an fcntl lock on
     * {@code .NAME.pgstaging-lock}), so the file itself can be replaced while it is held. Blocks until
     * the lock is free; an interrupt gives up waiting.
     */
    public <T> T withFileLock(Path file, java.util.function.Supplier<T> work) {
        Path target = resolveLinks(file);
        Path lockFile = target.resolveSibling("." + target.getFileName() + ".pgstaging-lock");
        java.util.concurrent.locks.ReentrantLock local = IN_PROCESS.computeIfAbsent(lockFile, k -> new java.util.concurrent.locks.ReentrantLock());
        try {
            local.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException("Interrupted while waiting for the lock on " + file, "nothing was changed", e);
        }
        try {
            if (local.getHoldCount() > 1) return work.get();   // re-entered by the holder: already locked
            try (FileChannel channel = openLockFile(lockFile); var ignored = channel.lock()) {
                return work.get();
            } catch (java.nio.channels.ClosedByInterruptException e) {
                throw new HostException("Interrupted while waiting for the lock on " + file, "nothing was changed", e);
            } catch (IOException e) {
                throw new HostException("Cannot lock " + lockFile + " on localhost: " + e,
                        "pgstaging needs to create and write that file next to " + target.getFileName()
                                + "; check the permissions of " + lockFile.getParent(), e);
            }
        } finally {
            local.unlock();
        }
    }

    private static FileChannel openLockFile(Path lockFile) throws IOException {
        try {
            Files.createFile(lockFile, PosixFilePermissions.asFileAttribute(LOCK_FILE_MODE));
            Files.setPosixFilePermissions(lockFile, LOCK_FILE_MODE);   // the umask may have taken the group's w
        } catch (java.nio.file.FileAlreadyExistsException exists) {
            // made by an earlier run
        }
        return FileChannel.open(lockFile, StandardOpenOption.WRITE);
    }

    @Override
    public void checkReplaceable(Path file) {
        Path dir = resolveLinks(file).getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new HostException("Cannot replace " + file + " on localhost: its directory " + dir
                    + " is not writable by " + System.getProperty("user.name"),
                    "pgstaging writes a new file next to it and renames it over: give this user write access to "
                            + dir + " (e.g. a group owning it with mode 2775)", null);
        }
    }

    /** Replacing a symlink would turn it into a plain file; replace what it points to instead. */
    private static Path resolveLinks(Path file) {
        try {
            return Files.exists(file) ? file.toRealPath() : file.toAbsolutePath();
        } catch (IOException e) {
            throw new HostException("Cannot resolve " + file + " on localhost: " + e,
                    "check the path in the configuration", e);
        }
    }

    private static PosixFileAttributes attributesOrNull(Path file) {
        try {
            return Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new HostException("Cannot read the owner and mode of " + file + " on localhost: " + e,
                    "check that pgstaging may read " + file, e);
        }
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** The new file must stay readable by the service reading it (e.g. pgbouncer), so copy owner, group and mode. */
    private static void applyAttributes(Path file, PosixFileAttributes previous) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (previous == null) {
            view.setPermissions(NEW_FILE_MODE);
            return;
        }
        PosixFileAttributes current = view.readAttributes();
        if (!current.owner().equals(previous.owner())) {
            view.setOwner(previous.owner());
        }
        if (!current.group().equals(previous.group())) {
            view.setGroup(previous.group());
        }
        view.setPermissions(previous.permissions());
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot fsync a directory; the rename itself already happened.
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A stray temp file is harmless; the original error matters more.
            }
        }
    }
}
