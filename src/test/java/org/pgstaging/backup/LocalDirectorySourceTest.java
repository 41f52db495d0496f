package org.pgstaging.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectorySourceTest {
    @TempDir
    static Path root;
    static Path dumps;

    @TempDir
    Path tmpdir;

    @BeforeAll
    static void publish() throws IOException {
        dumps = SampleDumps.create(root);
    }

    @Test
    void listsWithTheSameRulesAndExactSizes() {
        LocalDirectorySource src = new LocalDirectorySource(dumps);
        List<BackupFile> foodb = src.list("foodb");
        assertThat(foodb).extracting(BackupFile::fileName).containsExactly(
                "foodb.2026-11-20.dump", "foodb.2026-11-22.dump", "foodb.2026-11-23.dump", "foodb.2026-11-24.dump");
        assertThat(foodb).extracting(b -> b.size().getAsLong()).containsExactly(1_048_576L, 11L, 109_064_249L, 1_019_193L);
        assertThat(foodb.get(0).location()).isEqualTo(dumps.resolve("foodb.2026-11-20.dump").toUri());
        assertThat(src.list("foo.db")).extracting(BackupFile::date).containsExactly(LocalDate.of(2026, 11, 20));
        assertThat(src.list("café")).hasSize(1);
        assertThat(src.describe()).isEqualTo(dumps.toString());
    }

    @Test
    void downloadCopiesWithProgress() throws IOException {
        LocalDirectorySource src = new LocalDirectorySource(dumps);
        BackupFile dump = src.list("foodb").get(3);
        ProgressRecorder progress = new ProgressRecorder();
        Path copy = src.download(dump, tmpdir, progress);
        assertThat(copy).isEqualTo(tmpdir.resolve("foodb.2026-11-24.dump"));
        assertThat(Files.mismatch(copy, dumps.resolve("foodb.2026-11-24.dump"))).isEqualTo(-1);
        assertThat(progress.last().bytes()).isEqualTo(1_019_193L);
        assertThat(progress.last().total()).isEqualTo(1_019_193L);
        assertThat(tmpdir.resolve(".foodb.2026-11-24.dump.part")).doesNotExist();
    }

    @Test
    void dumpAlreadyInTargetDirIsUsedInPlace() throws IOException {
        Path file = tmpdir.resolve("bardb.2026-11-24.dump");
        SampleDumps.writeRandom(file, 5000, new Random(1));
        long inode = (long) Files.getAttribute(file, "unix:ino");
        LocalDirectorySource src = new LocalDirectorySource(tmpdir);
        ProgressRecorder progress = new ProgressRecorder();
        Path same = src.download(src.list("bardb").get(0), tmpdir, progress);
        assertThat(same).isEqualTo(file);
        assertThat((long) Files.getAttribute(same, "unix:ino")).isEqualTo(inode);
        assertThat(progress.last().bytes()).isEqualTo(5000);
    }

    @Test
    void missingDumpOrDirectoryIsExplained() {
        LocalDirectorySource src = new LocalDirectorySource(dumps);
        assertThatThrownBy(() -> src.download(src.locate("foodb", LocalDate.of(2026, 11, 21)), tmpdir, null))
                .hasMessage("no dump foodb.2026-11-21.dump in " + dumps)
                .satisfies(e -> assertThat(((BackupException) e).hint()).contains("2026-11-20, 2026-11-22, 2026-11-23"));
        // a directory named like a dump is not one
        assertThatThrownBy(() -> src.download(src.locate("foodb", LocalDate.of(2026, 11, 25)), tmpdir, null))
                .hasMessageStartingWith("no dump foodb.2026-11-25.dump");
        assertThatThrownBy(() -> new LocalDirectorySource(dumps.resolve("nope")).list("foodb"))
                .isInstanceOf(BackupException.class)
                .hasMessage("backup directory " + dumps.resolve("nope") + " does not exist");
        assertThatThrownBy(() -> src.download(src.list("foodb").get(0), tmpdir.resolve("missing"), null))
                .hasMessageContaining("download directory " + tmpdir.resolve("missing") + " does not exist");
    }

    @Test
    void localDumpsIgnoresPartialDownloads() throws IOException {
        Files.write(tmpdir.resolve("foodb.2026-11-24.dump"), new byte[42]);
        Files.write(tmpdir.resolve(".foodb.2026-11-25.dump.part"), new byte[7]);
        Files.write(tmpdir.resolve("foodb.2026-11-23.dump"), new byte[1]);
        Files.write(tmpdir.resolve("foodb_old.2026-11-23.dump"), new byte[1]);
        List<BackupFile> local = BackupSources.localDumps(tmpdir, "foodb");
        assertThat(local).extracting(BackupFile::fileName).containsExactly("foodb.2026-11-23.dump", "foodb.2026-11-24.dump");
        assertThat(local.get(1).size()).hasValue(42);
    }
}
