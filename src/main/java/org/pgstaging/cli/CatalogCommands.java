package org.pgstaging.cli;

import org.pgstaging.TextTable;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import org.pgstaging.job.CatalogReport;
import org.pgstaging.job.TriggerInfo;
import picocli.CommandLine.Command;

/** Inspection of what a restore would load: filtered catalog, triggers, tables without data. */
final class CatalogCommands {
    private CatalogCommands() {}

    static final List<Class<?>> ALL = List.of(Catalog.class, Triggers.class, Nodata.class);

    @Command(name = "catalog", description = {
            "Print the filtered catalog (the pg_restore -L list) a restore of SECTION would use, for DUMP (a dump"
                    + " file, or the backup of a DATE) or, when omitted, for the latest backup (downloaded first). A summary follows as ;"
                    + " comments, so the output stays a valid list file. With --json only the summary is printed."})
    static final class Catalog extends BaseCommand {

        @Override
        protected void run() {
            Path dump = existingDump(arguments().file());
            String s = section();
            Writer target = out().json() ? Writer.nullWriter() : new KeepOpen(out().out());
            CatalogReport r = date() != null ? ops().catalogAt(s, date(), target) : ops().catalog(s, dump, target);
            if (out().json()) {
                out().emitJson(JsonViews.catalog(r));
                return;
            }
            out().out().flush();
            out().info(";");
            out().info("; pgstaging: kept " + r.kept() + " of " + r.entries() + " entries");
            comment("excluded schemas", r.excludedSchemas());
            comment("tables without data", r.nodataTables());
            comment("dropped triggers", r.droppedTriggers());
            // one per line: each names the entry left out and the left-out entry it needs
            r.dependencyDrops().forEach(d -> out().info("; left out for what it needs: " + d));
            r.conflicts().forEach(d -> out().info("; CANNOT BE RESTORED AS FILTERED: " + d));
            if (!r.conflicts().isEmpty()) {
                out().info("; a restore refuses this list before creating anything: add the schemas named above to schemas");
            }
        }

        private void comment(String what, List<String> names) {
            if (names != null && !names.isEmpty()) out().info("; " + what + ": " + String.join(", ", names));
        }
    }

    /** Lets the engine close "its" writer without closing our stdout. */
    static final class KeepOpen extends FilterWriter {
        KeepOpen(Writer out) { super(out); }

        @Override
        public void close() throws IOException { flush(); }
    }

    @Command(name = "triggers", description = "Triggers of DUMPFILE (default: the latest backup, downloaded)"
            + " with the schema-qualified function each one calls, and whether the filter drops it.")
    static final class Triggers extends BaseCommand {

        @Override
        protected void run() {
            Path dump = existingDump(arguments().file());
            List<TriggerInfo> triggers = ops().triggers(section(), dump);
            if (out().json()) {
                out().emitJson(JsonViews.array(triggers, JsonViews::trigger));
                return;
            }
            if (triggers.isEmpty()) {
                out().info("(no trigger)");
                return;
            }
            TextTable t = new TextTable("SCHEMA", "TABLE", "TRIGGER", "FUNCTION", "DROPPED");
            for (TriggerInfo tr : triggers) {
                t.row(tr.schema(), tr.table(), tr.trigger(), tr.function(), tr.dropped() ? "yes" : "");
            }
            out().table(t);
        }
    }

    @Command(name = "nodata", description = "Tables a restore of SECTION loads without their data: those of"
            + " schemas_nodata and those matching tablename_nodata_regexp, found in DUMPFILE (default: the"
            + " latest backup, downloaded).")
    static final class Nodata extends BaseCommand {

        @Override
        protected void run() {
            Path dump = existingDump(arguments().file());
            Render.list(out(), "tables", ops().nodata(section(), dump));
        }
    }
}
