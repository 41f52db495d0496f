package org.pgstaging.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.PgStagingException;
import org.pgstaging.Version;
import org.pgstaging.config.ClientConfig;
import org.pgstaging.host.ClientProtocol;

/** pgstaging-client's own checks, run in-process on a temporary pgbouncer directory. */
class ClientMainTest {
    private static final String INI = "; ours\n[databases]\nfoo = dbname=foo_20261124 host=127.0.0.1 port=5432\n\n"
            + "[pgbouncer]\nlisten_port = 6432\nauth_type = md5\n";

    @TempDir Path dir;

    record Ran(int exit, String out, String err) { }

    private Ran run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ClientMain main = new ClientMain(new ClientConfig(List.of(dir), "pgbouncer"),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit = main.run(args);
        return new Ran(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path ini() throws IOException {
        Path f = dir.resolve("pgbouncer.ini");
        Files.writeString(f, INI);
        return f;
    }

    @Test
    void readsAnAllowedFileByteForByte() throws IOException {
        Path f = ini();
        Ran r = run("", "read", "--console-version", Version.current(), "--conf", f.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(INI);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void refusesWordsOptionsAndFilesItDoesNotKnow() throws IOException {
        Path f = ini();
        Files.writeString(dir.resolve("userlist.txt"), "\"u\" \"md5secret\"\n");
        String v = Version.current();
        assertThat(run("", "sh", "-c", "id").exit()).isEqualTo(2);
        assertThat(run("", "sh", "-c", "id").err()).contains("pgstaging-client: error: unknown sub-command 'sh'")
                .contains("hint: pgstaging-client only runs:");
        assertThat(run("", "read", "--console-version", v).err()).contains("read needs --conf VALUE");
        assertThat(run("", "read", "--console-version", v, "--conf", f.toString(), "--conf", f.toString()).err())
                .contains("given twice");
        assertThat(run("", "read", "--console-version", v, "--conf", f.toString(), "extra").err()).contains("takes 0 argument");
        assertThat(run("", "read", "--console-version", v, "--conf", dir.resolve("userlist.txt").toString()).err())
                .contains("only handles pgbouncer's .ini files");
        assertThat(run("", "read", "--console-version", v, "--conf", "/etc/passwd").exit()).isEqualTo(2);
        assertThat(run("", "service", "--console-version", v, "start;id").err()).contains("unknown action");
        assertThat(run("", "runs", "--console-version", v, "--dbname", "foo", "--forget", "bar_20261124").err())
                .contains("not a dated copy of foo");
        Ran old = run("", "version", "--console-version", "0.0.1");
        assertThat(old.exit()).isEqualTo(ClientProtocol.EXIT_VERSION);
        assertThat(old.out()).isEqualTo("pgstaging-client " + v + "\n");
        assertThat(old.err()).contains("the console runs pgstaging 0.0.1");
    }

    @Test
    void anEditSessionHoldsTheLockReadsAndReplacesOnlyDatabaseEntries() throws Exception {
        Path f = ini();
        String added = INI.replace("[databases]\n", "[databases]\nbar = dbname=bar_20261124\n");
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        ClientProtocol.writeFrame(requests, ClientProtocol.FRAME_READ, new byte[0]);
        ClientProtocol.writeFrame(requests, ClientProtocol.FRAME_REPLACE, INI.replace("md5", "trust"));
        ClientProtocol.writeFrame(requests, ClientProtocol.FRAME_REPLACE, added);
        ClientProtocol.writeFrame(requests, ClientProtocol.FRAME_DONE, new byte[0]);
        Ran r = run(requests.toString(StandardCharsets.UTF_8), "edit", "--console-version", Version.current(), "--conf", f.toString());
        assertThat(r.exit()).isZero();
        ByteArrayInputStream answers = new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8));
        assertThat(ClientProtocol.readFrame(answers).word()).isEqualTo("locked");
        assertThat(ClientProtocol.readFrame(answers).text()).isEqualTo(INI);
        ClientProtocol.Frame refused = ClientProtocol.readFrame(answers);
        assertThat(refused.word()).isEqualTo("error");
        assertThat(refused.text()).contains("'auth_type = md5' would become 'auth_type = trust'");
        assertThat(ClientProtocol.readFrame(answers).word()).isEqualTo("replaced");
        assertThat(Files.readString(f)).isEqualTo(added);
        assertThat(Files.readString(dir.resolve("pgbouncer.ini.bak"))).isEqualTo(INI);
        assertThat(dir.resolve(".pgbouncer.ini.pgstaging-lock")).exists();
    }

    @Test
    void onlyDatabaseEntriesMayChange() {
        EditSession.checkOnlyDatabasesChange(INI, INI.replace("foo = dbname=foo_20261124", "foo = dbname=foo_20261125"));
        EditSession.checkOnlyDatabasesChange("[pgbouncer]\nlisten_port = 1\n", "[pgbouncer]\nlisten_port = 1\n\n[databases]\na = dbname=a\n");
        assertThatThrownBy(() -> EditSession.checkOnlyDatabasesChange(INI, INI.replace("; ours\n", "")))
                .isInstanceOf(PgStagingException.class).hasMessageContaining("'; ours' would become '[pgbouncer]'");
        assertThatThrownBy(() -> EditSession.checkOnlyDatabasesChange(INI, INI + "admin_users = mallory\n"))
                .hasMessageContaining("'admin_users = mallory' would be added");
        assertThatThrownBy(() -> EditSession.checkOnlyDatabasesChange(INI, INI.replace("[databases]\n", "[databases]\n%include /etc/x\n")))
                .hasMessageContaining("changes more than the [databases] entries");
        assertThatThrownBy(() -> EditSession.checkOnlyDatabasesChange("[pgbouncer]\nauth_query = password=secret\n",
                "[pgbouncer]\nauth_query = password=other\n")).hasMessageContaining("password=***").hasMessageNotContaining("secret");
    }

    @Test
    void theRunRecordOfALiveRestoreIsRunningAndOfADeadOneForgettable() throws Exception {
        RunRecords records = new RunRecords(dir.resolve("runs"));
        try (RunRecords.Held held = records.start("foo_20261124", "foo", "foo.dev", "10.0.0.9")) {
            // another process sees the lock held; within this JVM the channel lock shows the same way
            assertThatThrownBy(() -> records.start("foo_20261124", "foo", "foo.dev", "10.0.0.9"))
                    .isInstanceOf(Exception.class);
        }
        assertThat(records.list("foo")).isEmpty();
        Files.writeString(dir.resolve("runs/foo_20261123.run"), new RunRecords.Entry("foo_20261123", "foo", "foo.dev", 4242,
                java.time.Instant.parse("2026-11-30T10:00:00Z"), "10.0.0.9", true).toJson());
        assertThat(records.list("foo")).singleElement().satisfies(e -> {
            assertThat(e.running()).as("nobody holds its lock").isFalse();
            assertThat(e.pid()).isEqualTo(4242);
        });
        assertThat(records.list("bar")).isEmpty();
        assertThat(records.forget("foo_20261123")).isTrue();
        assertThat(records.list("foo")).isEmpty();
    }
}
