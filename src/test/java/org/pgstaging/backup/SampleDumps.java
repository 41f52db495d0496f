package org.pgstaging.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A backup directory as a production server would publish it: valid dumps for several databases
 * mixed with names that must be ignored. Used both to serve with the real servers and to
 * regenerate the captured listings under src/test/resources/backup/.
 */
final class SampleDumps {
    static final String DIR = "PostgreSQL/foodb/nightly";
    static final Instant MTIME = Instant.parse("2026-11-24T20:28:00Z");

    /** Regular files: name -> size. Seeded random content, except the sparse big one. */
    static final Map<String, Long> FILES = new LinkedHashMap<>();

    static {
        FILES.put("foodb.2026-11-20.dump", 1_048_576L);
        FILES.put("foodb.2026-11-22.dump", 11L);
        FILES.put("foodb.2026-11-23.dump", 109_051_904L + 12_345); // sparse, Apache shows "104M"
        FILES.put("foodb.2026-11-24.dump", 1_019_193L);
        // must be ignored when listing foodb
        FILES.put("foodb_old.2026-01-01.dump", 100L);
        FILES.put("xfoodb.2026-11-24.dump", 100L);
        FILES.put("foodb.2026-13-01.dump", 100L);
        FILES.put("foodb.2026-02-30.dump", 100L);
        FILES.put("foodb.20261124.dump", 100L);
        FILES.put("foodb.2026-11-24.dump.md5", 33L);
        FILES.put("foodb.2026-11-24.sql", 100L);
        // dbname with a regex metacharacter: foo.db must not match fooXdb
        FILES.put("foo.db.2026-11-20.dump", 2_000L);
        FILES.put("fooXdb.2026-11-21.dump", 3_000L);
        // names that need URL encoding or that nginx truncates in its HTML text
        FILES.put("foo bar.2026-11-19.dump", 4_000L);
        FILES.put("café.2026-11-17.dump", 5_000L);
        FILES.put("a_very_long_database_name_that_exceeds_fifty_chars.2026-11-18.dump", 6_000L);
    }

    private SampleDumps() { }

    /** Creates {@code docroot/DIR} with {@link #FILES}, a sub-directory and a directory named like a dump. */
    static Path create(Path docroot) throws IOException {
        Path dir = Files.createDirectories(docroot.resolve(DIR));
        Random random = new Random(42);
        for (Map.Entry<String, Long> e : FILES.entrySet()) {
            Path f = dir.resolve(e.getKey());
            if (e.getValue() > 50_000_000L) {
                try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                    raf.setLength(e.getValue());
                }
            } else {
                writeRandom(f, e.getValue(), random);
            }
            Files.setLastModifiedTime(f, FileTime.from(MTIME));
        }
        Files.createDirectories(dir.resolve("archive"));
        Files.createDirectories(dir.resolve("foodb.2026-11-25.dump"));
        Files.setLastModifiedTime(dir.resolve("archive"), FileTime.from(MTIME));
        Files.setLastModifiedTime(dir.resolve("foodb.2026-11-25.dump"), FileTime.from(MTIME));
        Files.setLastModifiedTime(dir, FileTime.from(MTIME));
        return dir;
    }

    static void writeRandom(Path f, long size, Random random) throws IOException {
        byte[] buf = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(f)) {
            long left = size;
            while (left > 0) {
                random.nextBytes(buf);
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }
}
