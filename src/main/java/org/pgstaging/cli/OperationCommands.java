package org.pgstaging.cli;

import java.nio.file.Path;
import java.util.List;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.Section;
import org.pgstaging.job.RestoreResult;
import picocli.CommandLine.Command;

/** The main operation and its parts: restore, load, fetch, createdb, drop, switch, purge, ... */
final class OperationCommands {
    private OperationCommands() {}

    static final List<Class<?>> ALL = List.of(Restore.class, Load.class, Fetch.class, Createdb.class, Drop.class,
            Switch.class, Purge.class, Vacuumdb.class, Presql.class, Postsql.class, Init.class, Dump.class,
            Redump.class);

    @Command(name = "restore", description = {
            "Full restore of SECTION: check pgbouncer, create dbname_YYYYMMDD, fetch the dump of DATE"
                    + " (streamed into pg_restore when it can), filter its catalog, run pre SQL, pg_restore,"
                    + " vacuum analyze, run post SQL, then add the copy to pgbouncer and switch the alias"
                    + " (when auto_switch) in one RELOAD. A downloaded dump is removed afterwards,"
                    + " on success and on failure (remove_dump).",
            "DATE: YYYY-MM-DD, YYYYMMDD, today, latest or oldest; default today."})
    static final class Restore extends BaseCommand {

        @Override
        protected void run() {
            DateSpec d = date();
            RestoreResult r = ops().restore(section(), d, listener());
            Render.restore(out(), r, session.dryRun());
        }
    }

    @Command(name = "load", description = "pg_restore an already downloaded dump FILE into a new dated database"
            + " of SECTION (the date comes from the file name), skipping the download.")
    static final class Load extends BaseCommand {

        @Override
        protected void run() {
            Path dump = existingFile(arguments().file(), "dump file");
            RestoreResult r = ops().load(section(), dump, listener());
            Render.restore(out(), r, session.dryRun());
        }
    }

    @Command(name = "fetch", description = "Only download the dump of DATE (default today) into tmpdir;"
            + " it is kept. Prints its path.")
    static final class Fetch extends BaseCommand {

        @Override
        protected void run() {
            DateSpec d = date();
            Path p = ops().fetch(section(), d, listener());
            Render.value(out(), "file", p == null ? null : p.toString(), "downloaded %s");
        }
    }

    @Command(name = "createdb", description = "Create the database dbname_YYYYMMDD of DATE (default today)"
            + " and add it to pgbouncer.")
    static final class Createdb extends BaseCommand {

        @Override
        protected void run() {
            DateSpec d = date();
            Render.value(out(), "database", ops().createdb(section(), d), "created database %s and added it to pgbouncer");
        }
    }

    @Command(name = "drop", description = "DROP DATABASE the copy of DATE (default: the oldest). The copy"
            + " the pgbouncer alias points to is never dropped.")
    static final class Drop extends BaseCommand {

        @Override
        protected void run() {
            DateSpec d = date();
            Render.value(out(), "dropped", ops().drop(section(), d), "dropped database %s");
        }
    }

    @Command(name = "switch", description = "Point the pgbouncer alias dbname at the copy of DATE"
            + " (default: the latest) and reload pgbouncer.")
    static final class Switch extends BaseCommand {

        @Override
        protected void run() {
            DateSpec d = date();
            String s = section();
            String alias = session.findSection(s).map(Section::dbname).orElse(s);
            Render.value(out(), "database", ops().switchTo(s, d),
                    "the pgbouncer alias " + alias.replace("%", "%%") + " now points to %s");
        }
    }

    @Command(name = "purge", description = "Drop the older copies, keeping the keep_bases most recent ones"
            + " (never the active one). Prints the databases dropped.")
    static final class Purge extends BaseCommand {

        @Override
        protected void run() {
            String s = section();
            Render.list(out(), "dropped", ops().purge(s), "dropped database %s",
                    "nothing to purge: [" + s + "] has no copy beyond keep_bases besides the active one");
        }
    }

    @Command(name = "vacuumdb", description = "VACUUM ANALYZE the copy of DATE (default: the active one).")
    static final class Vacuumdb extends BaseCommand {

        @Override
        protected void run() {
            DateSpec d = date();
            ops().vacuumdb(section(), d, listener());
            Render.done(out(), "vacuum analyze done");
        }
    }

    @Command(name = "presql", description = "Run the sql_path/SECTION/pre/*.sql files, in alphabetical order,"
            + " in the copy of DATE (default: the active one). Prints the files run.")
    static final class Presql extends BaseCommand {

        @Override
        protected void run() {
            DateSpec d = date();
            Render.list(out(), "files", ops().sourceSql(section(), d, true, listener()), "ran %s", "(no pre SQL file)");
        }
    }

    @Command(name = "postsql", description = "Run the sql_path/SECTION/post/*.sql files, in alphabetical order,"
            + " in the copy of DATE (default: the active one). Prints the files run.")
    static final class Postsql extends BaseCommand {

        @Override
        protected void run() {
            DateSpec d = date();
            Render.list(out(), "files", ops().sourceSql(section(), d, false, listener()), "ran %s", "(no post SQL file)");
        }
    }

    @Command(name = "init", description = "Prepare the cluster: load the roles and other globals"
            + " (pg_dumpall -g output) found at dumpall_url.")
    static final class Init extends BaseCommand {

        @Override
        protected void run() {
            ops().initCluster(section(), listener());
            Render.done(out(), "cluster globals loaded");
        }
    }

    /** dump and redump differ only in whether an existing FILE may be overwritten. */
    abstract static class DumpCommand extends BaseCommand {

        abstract boolean overwrite();

        @Override
        protected void run() {
            String s = section();
            // no date: pg_dump always reads the active copy, through pgbouncer
            Path p = ops().dump(s, null, arguments().file() == null ? null : Path.of(arguments().file()), overwrite());
            Render.value(out(), "file", p == null ? null : p.toString(), "dumped to %s");
        }
    }

    @Command(name = "dump", description = "pg_dump the active copy of SECTION, through pgbouncer, to FILE in"
            + " custom format (default dbname.YYYY-MM-DD.dump). Refuses to overwrite an existing file;"
            + " see redump.")
    static final class Dump extends DumpCommand {
        @Override boolean overwrite() { return false; }
    }

    @Command(name = "redump", description = "Like dump, but overwrites FILE when it exists.")
    static final class Redump extends DumpCommand {
        @Override boolean overwrite() { return true; }
    }
}
