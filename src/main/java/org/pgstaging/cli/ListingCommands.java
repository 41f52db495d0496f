package org.pgstaging.cli;

import org.pgstaging.TextTable;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.config.Section;
import org.pgstaging.job.DatabaseInfo;
import org.pgstaging.job.DatabaseSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Listings: sections and their dated copies, backups, sizes, settings. */
final class ListingCommands {
    private ListingCommands() {}

    static final List<Class<?>> ALL = List.of(Databases.class, Backups.class, Dbsize.class, Dbsizes.class,
            Show.class);

    /** A copy's name, saying so when its restore never completed. */
    static String named(DatabaseSize s) {
        return s.incomplete() ? s.database() + " (INCOMPLETE)" : s.database();
    }

    /** The marker of the copy the pgbouncer alias points to. */
    static String marker(boolean active) {
        return active ? "*" : "";
    }

    @Command(name = "databases", description = {
            "Without SECTION: the sections of the configuration.",
            "With SECTION: its dated copies as pgbouncer knows them, oldest first; * marks the one the alias"
                    + " points to."})
    static final class Databases extends BaseCommand {

        @Override
        protected void run() {
            if (arguments().section() == null) {
                sections();
            } else {
                copies(ops().databases(section()));
            }
        }

        private void sections() {
            List<Section> all = session.config().sections();
            if (out().json()) {
                JsonArray a = new JsonArray();
                for (Section s : all) {
                    JsonObject o = new JsonObject();
                    o.addProperty("section", s.name());
                    o.addProperty("dbname", s.dbname());
                    o.addProperty("host", s.host());
                    a.add(o);
                }
                out().emitJson(a);
            } else if (out().quiet()) {
                all.forEach(s -> out().result(s.name()));
            } else {
                TextTable t = new TextTable("SECTION", "DBNAME", "HOST");
                all.forEach(s -> t.row(s.name(), s.dbname(), s.host()));
                out().table(t);
            }
        }

        private void copies(List<DatabaseInfo> dbs) {
            if (out().json()) {
                out().emitJson(JsonViews.array(dbs, JsonViews::database));
                return;
            }
            if (dbs.isEmpty()) {
                out().info("(no dated database for [" + arguments().section() + "])");
                return;
            }
            TextTable t = new TextTable("", "DATABASE", "DATE", "IN POSTGRES", "PGBOUNCER");
            for (DatabaseInfo d : dbs) {
                t.row(marker(d.active()), d.database(), d.date(),
                        !d.existsInPostgres() ? "MISSING" : d.incomplete() ? "INCOMPLETE" : "yes", d.pgbouncerEntry());
            }
            out().table(t);
        }
    }

    @Command(name = "backups", description = {
            "The dumps of SECTION: on the backup server (remote, the default) or in tmpdir (local);"
                    + " oldest or latest shows only that one remote dump."})
    static final class Backups extends BaseCommand {

        @Override
        protected void run() {
            String w = arguments().value("WHICH");
            String section = section();
            List<BackupFile> files = new ArrayList<>(ops().backups(section, "local".equals(w)));
            if ("oldest".equals(w) || "latest".equals(w)) files = BackupFile.pick(files, "latest".equals(w));
            if (out().json()) {
                out().emitJson(JsonViews.array(files, JsonViews::backup));
                return;
            }
            if (files.isEmpty()) {
                out().info("local".equals(w) ? "(no dump of [" + section + "] in tmpdir; 'fetch' downloads one)"
                        : "(no dump of [" + section + "] on the backup server)");
                return;
            }
            TextTable t = new TextTable("DATE", "SIZE", "FILE").alignRight(1);
            for (BackupFile b : files) {
                String size = b.size() != null && b.size().isPresent() ? Human.size(b.size().getAsLong()) : "-";
                t.row(b.date(), size, b.fileName());
            }
            out().table(t);
        }
    }

    /** Completion candidates of the backups WHICH argument. */
    static final class WhichBackups extends ArrayList<String> {
        WhichBackups() { super(List.of("remote", "local", "oldest", "latest")); }
    }

    @Command(name = "dbsize", description = "Size of the copy of DATE (default: the active one).")
    static final class Dbsize extends BaseCommand {

        @Override
        protected void run() {
            DatabaseSize s = ops().dbsize(section(), date());
            if (out().json()) {
                out().emitJson(JsonViews.size(s));
            } else if (out().quiet()) {
                out().result(s.database() + "  " + Human.size(s.bytes()));
            } else {
                TextTable t = new TextTable("", "DATABASE", "SIZE").alignRight(2);
                t.row(marker(s.active()), named(s), Human.size(s.bytes()));
                out().table(t);
            }
        }
    }

    @Command(name = "dbsizes", description = {
            "Sizes of all the dated copies of the given sections, of every section (--all) or of the sections"
                    + " whose name matches a regular expression (--match), with their total."})
    static final class Dbsizes extends BaseCommand {
        @Option(names = "--all", description = "All the sections of the configuration.") boolean all;
        @Option(names = "--match", paramLabel = "RE",
                description = "Sections whose name matches RE (searched anywhere in the name).") String match;

        @Override
        protected void run() {
            List<String> names = targets();
            List<DatabaseSize> sizes = ops().dbsizes(names);
            long total = sizes.stream().mapToLong(DatabaseSize::bytes).filter(b -> b > 0).sum();
            if (out().json()) {
                JsonObject o = new JsonObject();
                o.add("databases", JsonViews.array(sizes, JsonViews::size));
                o.addProperty("total_bytes", total);
                o.addProperty("total", Human.size(total));
                out().emitJson(o);
                return;
            }
            TextTable t = new TextTable("", "SECTION", "DATABASE", "SIZE").alignRight(3);
            for (DatabaseSize s : sizes) t.row(marker(s.active()), s.section(), named(s), Human.size(s.bytes()));
            t.footer("", "Total", "", Human.size(total));
            out().table(t);
        }

        private List<String> targets() {
            List<String> sections = arguments().sections();
            boolean given = !sections.isEmpty();
            int forms = (all ? 1 : 0) + (match != null ? 1 : 0) + (given ? 1 : 0);
            if (forms != 1) {
                throw new UsageException(forms == 0 ? "dbsizes needs sections" : "dbsizes takes only one of --all,"
                        + " --match RE or SECTION...", "dbsizes --all | --match RE | SECTION...");
            }
            if (all) return session.sectionNames();
            if (given) return sections.stream().map(this::section).distinct().toList();
            Pattern re;
            try {
                re = Pattern.compile(match);
            } catch (PatternSyntaxException e) {
                throw new UsageException("invalid regular expression '" + match + "': " + e.getDescription(),
                        "write a Java regular expression, e.g. --match '^foodb\\.'");
            }
            List<String> matching = session.sectionNames().stream().filter(n -> re.matcher(n).find()).toList();
            if (matching.isEmpty()) {
                throw new UsageException("no section matches '" + match + "'",
                        "sections: " + String.join(", ", session.sectionNames()));
            }
            return matching;
        }
    }

    @Command(name = "show", description = "Current value of the PostgreSQL SETTING (SHOW setting) in the copy"
            + " of DATE (default: the one the alias points to).")
    static final class Show extends BaseCommand {

        @Override
        protected void run() {
            String setting = arguments().value("SETTING");
            String value = ops().show(section(), date(), setting);
            if (out().json()) {
                JsonObject o = new JsonObject();
                o.addProperty("setting", setting);
                o.addProperty("value", value);
                out().emitJson(o);
            } else if (out().quiet()) {
                out().result(value);
            } else {
                out().result(setting + " = " + value);
            }
        }
    }
}
