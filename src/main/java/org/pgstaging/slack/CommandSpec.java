package org.pgstaging.slack;

import java.util.List;
import java.util.Optional;

/** One word of the slash command: its arguments, what it does, whether it changes anything. */
public record CommandSpec(String name, String args, String description, int minArgs, int maxArgs, boolean mutating) {

    public static final List<CommandSpec> ALL = List.of(
            new CommandSpec("restore", "SECTION [DATE]", "restore a backup into a new dated copy (needs approval)", 1, 2, true),
            new CommandSpec("fetch", "SECTION [DATE]", "download a backup onto the staging host (needs approval)", 1, 2, true),
            new CommandSpec("vacuumdb", "SECTION [DATE]", "vacuum analyze a dated copy (needs approval)", 1, 2, true),
            new CommandSpec("switch", "SECTION DATE", "point the alias at another dated copy", 2, 2, true),
            new CommandSpec("drop", "SECTION DATE", "drop a dated copy (never the active one)", 2, 2, true),
            new CommandSpec("purge", "SECTION", "drop old copies beyond keep_bases", 1, 1, true),
            new CommandSpec("databases", "SECTION", "dated copies and which one the alias points to", 1, 1, false),
            new CommandSpec("backups", "SECTION", "backups available for a section", 1, 1, false),
            new CommandSpec("dbsizes", "[SECTION…]", "sizes of the dated copies (all sections by default)", 0, 20, false),
            new CommandSpec("dbsize", "SECTION [DATE]", "size of one dated copy (default: the active one)", 1, 2, false),
            new CommandSpec("show", "SECTION SETTING [DATE]", "SHOW a PostgreSQL setting on a copy", 2, 3, false),
            new CommandSpec("pgbouncer", "SECTION", "pgbouncer's databases for a section", 1, 1, false),
            new CommandSpec("catalog", "SECTION [DATE]", "what the catalog filter leaves out of a backup", 1, 2, false),
            new CommandSpec("queue", "", "waiting and running jobs", 0, 0, false),
            new CommandSpec("history", "[N]", "the last N changes, whoever made them: the bot, consoles, scripts (default 10)", 0, 1, false),
            new CommandSpec("help", "", "this list", 0, 0, false));

    public static Optional<CommandSpec> find(String name) {
        return ALL.stream().filter(c -> c.name.equals(name)).findFirst();
    }

    /** Whether the first argument names a section (dbsizes takes several, queue and history none). */
    public boolean takesSection() {
        return args.startsWith("SECTION ") || args.equals("SECTION");
    }

    public String usage(String command) {
        return command + " " + name + (args.isEmpty() ? "" : " " + args);
    }
}
