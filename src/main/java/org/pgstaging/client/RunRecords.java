package org.pgstaging.client;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.pgstaging.PgStagingException;

/**
 * Records of the restores running on this server for a console, one file each in
 * {@code ~/.local/state/pgstaging/target-runs}, locked by the running restore: a record whose
 * lock is free belongs to a restore that died before it could clean up (killed, out of memory,
 * reboot), and tells the next console which half-made database to drop.
 */
final class RunRecords {
    /** One restore: running (its process holds the lock) or dead. */
    record Entry(String database, String dbname, String section, long pid, Instant started, String console, boolean running) {
        String toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("database", database);
            o.addProperty("dbname", dbname);
            o.addProperty("section", section);
            o.addProperty("pid", pid);
            o.addProperty("started", started.toString());
            o.addProperty("console", console);
            o.addProperty("running", running);
            return o.toString();
        }

        static Entry fromJson(String json, boolean running) {
            JsonObject o = JsonParser.parseString(json).getAsJsonObject();
            return new Entry(o.get("database").getAsString(), o.get("dbname").getAsString(), o.get("section").getAsString(),
                    o.get("pid").getAsLong(), Instant.parse(o.get("started").getAsString()),
                    o.get("console").getAsString(), running);
        }
    }

    /** A running restore's record: closing it removes the record and releases the lock. */
    static final class Held implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final FileLock lock;
        private boolean closed;

        private Held(Path file, FileChannel channel, FileLock lock) {
            this.file = file;
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            try {
                Files.deleteIfExists(file);
                lock.release();
                channel.close();
            } catch (IOException ignored) {
                // a record left behind is found dead by the next console, which then forgets it
            }
        }
    }

    private final Path dir;

    RunRecords(Path dir) {
        this.dir = dir;
    }

    static RunRecords ofUser() {
        return new RunRecords(Path.of(System.getProperty("user.home"), ".local", "state", "pgstaging", "target-runs"));
    }

    /** Records a restore of {@code database} by this process; refuses when one is already running. */
    Held start(String database, String dbname, String section, String console) {
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = dir.resolve(database + ".run");
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new PgStagingException("a restore of " + database + " is already running on this server",
                        "wait for it, or cancel it from the console that started it");
            }
            Entry e = new Entry(database, dbname, section, ProcessHandle.current().pid(), Instant.now(), console, true);
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap((e.toJson() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new Held(file, channel, lock);
        } catch (IOException e) {
            throw new PgStagingException("cannot record the restore in " + dir + ": " + e.getMessage(),
                    "the login user of pgstaging needs a writable home (" + System.getProperty("user.home") + ")");
        }
    }

    /** The records of {@code dbname}'s copies, running or dead. */
    List<Entry> list(String dbname) {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.getFileName().toString().endsWith(".run"))::iterator) {
                Entry e = read(f);
                if (e != null && e.dbname().equals(dbname)) out.add(e);
            }
        } catch (IOException e) {
            throw new PgStagingException("cannot list " + dir + ": " + e.getMessage(), null);
        }
        return out;
    }

    /** Removes the record of a dead restore of {@code database}; a running one is left alone. */
    boolean forget(String database) {
        Path f = dir.resolve(database + ".run");
        Entry e = read(f);
        if (e == null || e.running()) return false;
        try {
            return Files.deleteIfExists(f);
        } catch (IOException ex) {
            return false;
        }
    }

    private static Entry read(Path f) {
        if (!Files.isRegularFile(f)) return null;
        try (FileChannel channel = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            boolean running = lock == null;
            if (lock != null) lock.release();
            String json = Files.readString(f, StandardCharsets.UTF_8).strip();
            return json.isEmpty() ? null : Entry.fromJson(json, running);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
