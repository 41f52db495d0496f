package org.pgstaging.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pgstaging.job.Verb;
import picocli.CommandLine;

/** The console offers every console verb of job.Verb, with the verb's arguments and no others. */
class VerbCommandsTest {
    /** The console's own commands: session, help, and the command that starts the bot. */
    private static final List<String> OWN = List.of("help", "commands", "version", "get", "set", "config", "verbose", "quit", "exit", "bot");

    @Test
    void everyConsoleVerbIsACommandAndEveryOtherCommandIsTheConsolesOwn() {
        for (Verb v : Verb.offeredBy(Verb.Face.CONSOLE)) {
            assertThat(CommandRegistry.commandNamed(v.word())).as(v.word()).isNotNull();
        }
        for (String name : CommandRegistry.names()) {
            boolean verb = Verb.offeredBy(Verb.Face.CONSOLE).stream().anyMatch(v -> v.word().equals(name));
            assertThat(verb || OWN.contains(name)).as(name + " is a verb or the console's own").isTrue();
        }
    }

    @Test
    void verbCommandsTakeTheVerbsArgumentsAsTheirSynopsisShows() {
        CommandLine root = new CommandLine(CommandLine.Model.CommandSpec.create().name("pgstaging"));
        CommandRegistry.register(root, CommandLine.defaultFactory());
        for (Verb v : Verb.offeredBy(Verb.Face.CONSOLE)) {
            CommandLine.Model.CommandSpec spec = root.getSubcommands().get(v.word()).getCommandSpec();
            assertThat(CommandRegistry.synopsis(spec)).as(v.word()).endsWith(" " + v.syntax());
            assertThat(spec.positionalParameters()).as(v.word()).hasSize(1);
        }
    }
}
