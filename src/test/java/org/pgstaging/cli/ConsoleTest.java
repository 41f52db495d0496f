package org.pgstaging.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jline.reader.Candidate;
import org.jline.reader.Parser.ParseContext;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console loop on a JLine terminal fed from a stream, and its completion candidates. */
class ConsoleTest {
    @TempDir Path dir;
    CliHarness cli;
    ConsoleCompleter completer;

    @BeforeEach
    void setUp() {
        cli = new CliHarness(dir);
        Session session = new Session((c, o, l) -> cli.ops,
                new Output(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), false);
        completer = new ConsoleCompleter(new LineRunner(session).commandLine(),
                () -> List.of("foodb.dev", "foodb.preprod", "bardb.dev"), () -> Set.of("dbname", "keep_bases"));
    }

    @Test
    void consoleRunsLinesKeepsGoingAfterErrorsAndSavesHistory() throws IOException {
        Path history = dir.resolve("history");
        String typed = "databases -q\nrestore foodb.dv\nverbose\ncreatedb foodb.dev\nexit\ncreatedb bardb.dev\n";
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        cli.stdinTerminal = true;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Cli console = cli.cli(out, err).console(() -> new DumbTerminal(
                new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), screen), history);
        int code = console.run("-c", cli.config.toString());
        assertThat(code).isZero();
        assertThat(out.toString()).contains("foodb.dev\nfoodb.preprod\nbardb.dev\n").contains("verbose on\n")
                .contains("created database foodb_20261124 and added it to pgbouncer\n");
        assertThat(err.toString()).contains("pgstaging: error: unknown section 'foodb.dv'")
                .contains("did you mean 'foodb.dev'");
        // the error did not end the console, exit did
        assertThat(cli.ops.calls).containsExactly("createdb foodb.dev -");
        assertThat(screen.toString(StandardCharsets.UTF_8)).contains(Console.PROMPT);
        assertThat(Files.readAllLines(history)).anyMatch(l -> l.endsWith("restore foodb.dv"))
                .anyMatch(l -> l.endsWith("databases -q"));
    }

    @Test
    void consoleStartsEvenWithABrokenConfiguration() {
        cli.stdinTerminal = true;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Cli console = cli.cli(out, err).console(() -> new DumbTerminal(
                new ByteArrayInputStream("version\nquit\n".getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream()), dir.resolve("h"));
        int code = console.run("-c", dir.resolve("absent.ini").toString());
        assertThat(code).isZero();
        assertThat(err.toString()).contains("absent.ini");
        assertThat(out.toString()).contains(org.pgstaging.Version.current() + "\n").doesNotContain("development");
    }

    @Test
    void completesCommandNames() {
        assertThat(completer.candidates(List.of(""), 0)).contains("restore", "restart", "resume", "dbsizes", "help",
                "quit", "exit", "commands").doesNotHaveDuplicates();
    }

    @Test
    void completesSectionsWhereASectionGoes() {
        List<String> sections = List.of("foodb.dev", "foodb.preprod", "bardb.dev");
        assertThat(completer.candidates(List.of("restore", ""), 1)).isEqualTo(sections);
        assertThat(completer.candidates(List.of("dbsizes", "foodb.dev", ""), 2)).isEqualTo(sections);
        assertThat(completer.candidates(List.of("dbsizes", "--match", "foo", ""), 3)).isEqualTo(sections);
        assertThat(completer.candidates(List.of("start", "pgbouncer", ""), 2)).isEqualTo(sections);
        assertThat(completer.candidates(List.of("get", ""), 1)).isEqualTo(sections);
    }

    @Test
    void completesDateWordsWhereADateGoes() {
        assertThat(completer.candidates(List.of("restore", "foodb.dev", ""), 2))
                .containsExactly("latest", "oldest", "today");
        assertThat(completer.candidates(List.of("show", "foodb.dev", ""), 2)).contains("latest");
        assertThat(completer.candidates(List.of("restore", "foodb.dev", "today", ""), 3)).isEmpty();
        assertThat(completer.candidates(List.of("show", "foodb.dev", "today", ""), 3)).isEmpty();
    }

    @Test
    void completesKeywordsOptionsAndCommands() {
        assertThat(completer.candidates(List.of("backups", "foodb.dev", ""), 2))
                .containsExactly("remote", "local", "oldest", "latest");
        assertThat(completer.candidates(List.of("pgbouncer", "foodb.dev", ""), 2)).containsExactly("oldest", "latest");
        assertThat(completer.candidates(List.of("status", ""), 1)).containsExactly("pgbouncer");
        assertThat(completer.candidates(List.of("dbsizes", "--"), 1)).contains("--all", "--match", "--help");
        assertThat(completer.candidates(List.of("help", ""), 1)).contains("restore", "dbsizes");
        assertThat(completer.candidates(List.of("get", "foodb.dev", ""), 2)).containsExactlyInAnyOrder("dbname",
                "keep_bases");
        assertThat(completer.candidates(List.of("nosuch", ""), 1)).isEmpty();
        assertThat(completer.kind(List.of("load", "foodb.dev", ""), 2)).isEqualTo(ConsoleCompleter.Kind.FILE);
        assertThat(completer.kind(List.of("catalog", "foodb.dev", ""), 2)).isEqualTo(ConsoleCompleter.Kind.FILE);
    }

    @Test
    void jlineCompleterFeedsCandidates() {
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, new DefaultParser().parse("switch foo", 10, ParseContext.COMPLETE), candidates);
        assertThat(candidates).extracting(Candidate::value).contains("foodb.dev", "foodb.preprod");
    }
}
