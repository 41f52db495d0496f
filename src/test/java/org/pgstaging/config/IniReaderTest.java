package org.pgstaging.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Python ConfigParser dialect, line by line. */
class IniReaderTest {
    @TempDir Path dir;
    private final List<Problem> problems = new ArrayList<>();

    private RawIni read(String text) {
        return IniReader.read(Samples.write(dir, "t.ini", text), problems);
    }

    @Test
    void keyColonValueEqualsAndCaseInsensitiveKeys() {
        RawIni ini = read("[a.b]\nHost: db1\nKeep_Bases=3\nurl = http://x:80/y\nempty =\nquoted = \"\"\n");
        var o = ini.find("a.b").options();
        assertThat(o.get("host").value()).isEqualTo("db1");
        assertThat(o.get("keep_bases").value()).isEqualTo("3");
        assertThat(o.get("url").value()).isEqualTo("http://x:80/y"); // first separator splits
        assertThat(o.get("empty").value()).isEmpty();
        assertThat(o.get("quoted").value()).isEmpty();
        assertThat(o.get("keep_bases").line()).isEqualTo(3);
        assertThat(problems).isEmpty();
    }

    @Test
    void commentsAtLineStartOnlyAndIndentedComments() {
        RawIni ini = read("# c\n; c\n[s]\n  # indented comment\nx = 1 # not a comment\n; y = 2\n");
        assertThat(ini.find("s").options()).containsOnlyKeys("x");
        assertThat(ini.find("s").options().get("x").value()).isEqualTo("1 # not a comment");
    }

    @Test
    void continuationLinesAreDeeperIndentedAndMayFollowBlankLines() {
        RawIni ini = read("[s]\nschemas = a,\n   b,\n\n\tc\nnext = 1\n  [not a header]\n");
        var o = ini.find("s").options();
        assertThat(o.get("schemas").value()).isEqualTo("a,\nb,\nc");
        assertThat(o.get("schemas").line()).isEqualTo(2);
        assertThat(o.get("next").value()).isEqualTo("1\n[not a header]");
    }

    @Test
    void equallyIndentedLinesAreSeparateOptions() {
        // pg_staging(5)'s example indents every option under its header
        RawIni ini = read("[DEFAULT]\n   dbuser = postgres\n   maintdb = postgres\n[x.dev]\n   host = h\n");
        assertThat(ini.defaults().options()).containsOnlyKeys("dbuser", "maintdb");
        assertThat(ini.find("x.dev").options().get("host").line()).isEqualTo(5);
    }

    @Test
    void crlfLineEndingsAndByteOrderMark() throws Exception {
        Path f = dir.resolve("win.ini");
        byte[] text = "[s]\r\nhost = h\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[text.length + 3];
        bytes[0] = (byte) 0xEF; bytes[1] = (byte) 0xBB; bytes[2] = (byte) 0xBF;
        System.arraycopy(text, 0, bytes, 3, text.length);
        Files.write(f, bytes);
        RawIni ini = IniReader.read(f, problems);
        assertThat(ini.find("s").options().get("host").value()).isEqualTo("h");
        assertThat(problems).isEmpty();
    }

    @Test
    void invalidUtf8IsReportedWithItsLine() throws Exception {
        Path f = dir.resolve("latin1.ini");
        Files.write(f, new byte[] {'[', 's', ']', '\n', 'x', '=', (byte) 0xE9, '\n'});
        IniReader.read(f, problems);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.message()).contains("UTF-8");
        });
    }

    @Test
    void duplicatesAreMergedWithAWarning() {
        RawIni ini = read("[s]\nx = 1\n[t]\n[s]\nx = 2\ny = 3\n");
        assertThat(ini.find("s").options().get("x").value()).isEqualTo("2");
        assertThat(ini.find("s").options()).containsKeys("x", "y");
        assertThat(ini.warnings()).extracting(ConfigWarning::line).containsExactly(4, 5);
        assertThat(ini.warnings().get(1).message()).contains("first at line 2").contains("last value wins");
    }

    @Test
    void specialSectionsAreFoundWhateverTheirCase() {
        RawIni ini = read("[default]\nhost = h\n[Slack]\nmode = socket\n");
        assertThat(ini.defaults().options()).containsKey("host");
        assertThat(ini.find("slack").options()).containsKey("mode");
        assertThat(ini.warnings()).singleElement().satisfies(w -> assertThat(w.message()).contains("[DEFAULT]"));
    }

    @Test
    void malformedLinesAreAllCollected() {
        read("x = 1\n[s\n[]\n[t] trailing\n= 3\n[u]\njust words\n");
        assertThat(problems).extracting(Problem::line).containsExactly(1, 2, 3, 4, 5, 7);
        assertThat(problems.get(0).message()).contains("outside of any section");
        assertThat(problems.get(1).message()).contains("malformed section header");
        assertThat(problems.get(2).message()).contains("empty section name");
        assertThat(problems.get(4).message()).contains("option name missing");
        assertThat(problems.get(5).section()).isEqualTo("u");
    }

    @Test
    void headerMayBeFollowedByAComment() {
        RawIni ini = read("[s] ; the s section\nx = 1\n");
        assertThat(ini.find("s")).isNotNull();
        assertThat(problems).isEmpty();
    }
}
