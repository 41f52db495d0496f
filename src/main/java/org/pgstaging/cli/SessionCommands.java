package org.pgstaging.cli;

import org.pgstaging.TextTable;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.pgstaging.config.Section;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Commands about the session itself: configuration, options, verbosity, leaving the console. */
final class SessionCommands {
    private SessionCommands() {}

    static final List<Class<?>> ALL = List.of(Get.class, Set_.class, Config.class, Verbose.class, Quit.class);

    /** Options pg_staging.ini knows, so {@code set} can accept one the section leaves to its default. */
    static final Set<String> KNOWN_OPTIONS = Set.of("backup_host", "backup_base_url", "dumpall_url", "host",
            "dbname", "dbowner", "dbuser", "maintdb", "db_encoding", "postgres_port", "postgres_major",
            "pgbouncer_port", "pgbouncer_conf", "remove_dump", "keep_bases", "auto_switch", "use_sudo",
            "pg_restore", "pg_restore_st", "restore_vacuum", "restore_jobs", "tmpdir", "sql_path", "schemas",
            "schemas_nodata", "tablename_nodata_regexp", "search_path", "keep_failed");

    /** Options whose value is a credential: shown masked, since terminals get shared and logged. */
    static boolean secret(String option) {
        String o = option.toLowerCase(java.util.Locale.ROOT);
        return o.contains("password") || o.contains("token") || o.contains("secret");
    }

    static String shown(String option, String value) {
        return value != null && secret(option) ? "********" : value;
    }

    @Command(name = "get", description = "Value of OPTION in SECTION (with [DEFAULT] merged in); without"
            + " SECTION, its value in every section that has it.")
    static final class Get extends BaseCommand {
        @Parameters(arity = "1..2", paramLabel = "[SECTION] OPTION") List<String> args;

        @Override
        protected void run() {
            String option = args.get(args.size() - 1);
            if (args.size() == 2) {
                Section s = session.findSection(section(args.get(0))).orElseThrow();
                String value = s.values().get(option);
                if (value == null) {
                    String near = Suggestions.didYouMean(option, s.values().keySet());
                    if (near == null && !KNOWN_OPTIONS.contains(option)) {
                        Set<String> names = new TreeSet<>(KNOWN_OPTIONS);
                        names.addAll(s.values().keySet());
                        near = Suggestions.didYouMean(option, names);
                        throw new UsageException("unknown option '" + option + "'",
                                near != null ? near : "options are listed in pgstaging.ini(5)");
                    }
                    throw new UsageException("no option '" + option + "' in [" + s.name() + "]",
                            near != null ? near : "it is unset: the built-in default applies (see pgstaging.ini(5))");
                }
                Render.value(out(), option, shown(option, value));
                return;
            }
            TextTable t = new TextTable("SECTION", "VALUE");
            JsonObject json = new JsonObject();
            Set<String> allOptions = new TreeSet<>();
            for (Section s : session.config().sections()) {
                allOptions.addAll(s.values().keySet());
                String v = s.values().get(option);
                if (v != null) {
                    t.row(s.name(), shown(option, v));
                    json.addProperty(s.name(), shown(option, v));
                }
            }
            if (t.isEmpty()) {
                String near = Suggestions.didYouMean(option, allOptions);
                throw new UsageException("no section sets option '" + option + "'",
                        near != null ? near : "get SECTION OPTION; options are listed in pgstaging.ini(5)");
            }
            if (out().json()) out().emitJson(json);
            else out().table(t);
        }
    }

    /** {@code set}: named with an underscore only because {@code Set} is java.util's. */
    @Command(name = "set", description = "Set OPTION of SECTION to VALUE for the rest of this console or script"
            + " session only; the file is not changed. Words after OPTION are joined with spaces.")
    static final class Set_ extends BaseCommand {
        @Parameters(index = "0", paramLabel = "SECTION", description = ParamHelp.SECTION) String section;
        @Parameters(index = "1", paramLabel = "OPTION") String option;
        @Parameters(index = "2..*", arity = "1..*", paramLabel = "VALUE") List<String> value;

        @Override
        protected void run() {
            if (session.mode() == Session.Mode.ONE_SHOT) {
                throw new UsageException("'set' only lasts for a console or script session",
                        "edit " + session.configPath() + ", or use set in the console (pgstaging with no command)"
                                + " or in a script (pgstaging - < FILE)");
            }
            Section s = session.findSection(section(section)).orElseThrow();
            if (!s.values().containsKey(option) && !KNOWN_OPTIONS.contains(option)) {
                Set<String> names = new TreeSet<>(KNOWN_OPTIONS);
                names.addAll(s.values().keySet());
                String near = Suggestions.didYouMean(option, names);
                throw new UsageException("unknown option '" + option + "'",
                        near != null ? near : "options are listed in pgstaging.ini(5)");
            }
            String v = String.join(" ", value);
            session.override(s.name(), option, v);
            if (out().json() || out().quiet()) {
                Render.value(out(), option, shown(option, v));
            } else {
                out().result("[" + s.name() + "] " + option + " = " + shown(option, v) + " (this session only)");
            }
        }
    }

    @Command(name = "config", description = "Without FILE: the configuration file in use and its sections."
            + " With FILE: load it instead (checked first: on error the current one stays).")
    static final class Config extends BaseCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE") String file;

        @Override
        protected void run() {
            if (file != null) session.loadConfig(Path.of(file));
            List<String> names = session.sectionNames();
            if (out().json()) {
                JsonObject o = new JsonObject();
                o.addProperty("file", session.configPath().toString());
                o.add("sections", JsonViews.strings(names));
                out().emitJson(o);
            } else {
                out().result(session.configPath().toString());
                out().info(names.size() + " section" + (names.size() == 1 ? "" : "s") + ": " + String.join(", ", names));
            }
        }
    }

    @Command(name = "verbose", description = "Console and scripts: switch verbosity on or off (the commands the"
            + " engine runs are shown when on).")
    static final class Verbose extends BaseCommand {
        @Override
        protected void run() {
            if (session.mode() == Session.Mode.ONE_SHOT) {
                throw new UsageException("'verbose' is a console command", "use -v: pgstaging -v COMMAND ...");
            }
            out().verbose(!out().verbose());
            Logging.verbose(out().verbose(), out().debug());
            out().result("verbose " + (out().verbose() ? "on" : "off"));
        }
    }

    @Command(name = "quit", aliases = "exit", description = "Leave the console (or stop reading the script).")
    static final class Quit extends BaseCommand {
        @Override
        protected void run() {
            if (session.mode() == Session.Mode.ONE_SHOT) {
                throw new UsageException("'quit' only ends a console or script", "there is nothing to quit here");
            }
            session.requestQuit();
        }
    }
}
