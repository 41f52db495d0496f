package org.pgstaging.cli;

import org.pgstaging.TextTable;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** help/commands and version. */
final class HelpCommands {
    private HelpCommands() {}

    static final List<Class<?>> ALL = List.of(Help.class, Version.class);

    static final String USAGE = "Usage: pgstaging [-c FILE] [-n] [-v | -q] [-t DIR] [--json] [--debug]"
            + " [--keep-going] [--no-wait] COMMAND [ARGS]";

    @Command(name = "help", aliases = "commands", description = "List the commands, or show the usage of"
            + " COMMAND.")
    static final class Help extends BaseCommand {
        @Spec CommandSpec spec;
        @Parameters(index = "0", arity = "0..1", paramLabel = "COMMAND") String command;

        @Override
        protected void run() {
            CommandLine root = spec.root().commandLine();
            if (command != null) {
                CommandLine sub = root.getSubcommands().get(command);
                if (sub == null) throw Errors.unknownCommand(command);
                sub.usage(out().out());
                out().out().flush();
                return;
            }
            if (out().json()) {
                JsonArray a = new JsonArray();
                for (CommandRegistry.Group g : CommandRegistry.GROUPS) {
                    for (Class<?> c : g.commands()) {
                        CommandSpec s = root.getSubcommands().get(c.getAnnotation(Command.class).name())
                                .getCommandSpec();
                        JsonObject o = new JsonObject();
                        o.addProperty("name", s.name());
                        o.addProperty("group", g.title());
                        o.addProperty("synopsis", CommandRegistry.synopsis(s));
                        o.addProperty("description", String.join(" ", s.usageMessage().description()));
                        a.add(o);
                    }
                }
                out().emitJson(a);
                return;
            }
            overview(root).forEach(out().out()::println);
            out().out().flush();
        }

        static List<String> overview(CommandLine root) {
            List<String> lines = new java.util.ArrayList<>();
            lines.add(USAGE);
            lines.add("       pgstaging                 interactive console (when stdin is a terminal)");
            lines.add("       pgstaging - < FILE        one command per line from standard input");
            for (CommandRegistry.Group g : CommandRegistry.GROUPS) {
                lines.add("");
                lines.add(g.title() + ":");
                TextTable t = new TextTable("SYNOPSIS", "DESCRIPTION");
                for (Class<?> c : g.commands()) {
                    CommandSpec s = root.getSubcommands().get(c.getAnnotation(Command.class).name())
                            .getCommandSpec();
                    String[] d = s.usageMessage().description();
                    t.row(CommandRegistry.synopsis(s), d.length == 0 ? "" : firstSentence(d[0]));
                }
                t.lines(false).forEach(l -> lines.add("  " + l));
            }
            lines.add("");
            lines.add("DATE: YYYY-MM-DD, YYYYMMDD, today, latest or oldest. 'pgstaging help COMMAND' for details,"
                    + " pgstaging(1) for everything.");
            lines.add(ExitCodes.describe());
            return lines;
        }

        private static String firstSentence(String text) {
            int dot = text.indexOf(". ");
            String s = dot < 0 ? text : text.substring(0, dot + 1);
            return s.length() > 90 ? s.substring(0, 87) + "..." : s;
        }
    }

    @Command(name = "version", description = "Print pgstaging's version.")
    static final class Version extends BaseCommand {
        @Override
        protected void run() {
            Render.value(out(), "version", VersionInfo.version());
        }
    }
}
