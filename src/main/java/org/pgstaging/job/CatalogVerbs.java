package org.pgstaging.job;

import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.catalog.FilterSummary;
import org.pgstaging.postgres.Identifiers;
import org.pgstaging.restore.CatalogPreparer;
import org.pgstaging.restore.StagingTarget;

/** What a restore would load of a dump: the filtered catalog, the triggers and their functions, tables without data. */
final class CatalogVerbs {
    private final VerbContext c;

    CatalogVerbs(VerbContext c) {
        this.c = c;
    }

    CatalogReport catalog(String section, Path dumpFile, Writer out) {
        StagingTarget t = c.target(section);
        FilterSummary f = CatalogPreparer.report(t, dumpFile, out);
        return CatalogReport.of(f);
    }

    CatalogReport catalogAt(String section, DateSpec date, Writer out) {
        StagingTarget t = c.target(section);
        FilterSummary f = CatalogPreparer.report(t, VerbContext.findBackup(t, date == null ? DateSpec.latest() : date), out);
        return CatalogReport.of(f);
    }

    List<TriggerInfo> triggers(String section, Path dumpFile) {
        StagingTarget t = c.target(section);
        return CatalogPreparer.triggers(t, dumpFile).stream()
                .map(x -> new TriggerInfo(x.schema(), x.table(), x.trigger(),
                        x.function() == null ? "?" : sqlName(x.functionSchema()) + "." + sqlName(x.function()), x.dropped()))
                .toList();
    }

    List<String> nodata(String section, Path dumpFile) {
        StagingTarget t = c.target(section);
        return CatalogPreparer.nodataTables(t, dumpFile);
    }

    /** A name as SQL would need it written: bare when lower-case simple, double-quoted otherwise. */
    private static String sqlName(String name) {
        return name.matches("[a-z_][a-z0-9_$]*") ? name : Identifiers.quote(name);
    }
}
