package org.pgstaging.restore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.catalog.ArchiveTocReader;
import org.pgstaging.catalog.Catalog;
import org.pgstaging.catalog.CatalogFilter;
import org.pgstaging.catalog.CatalogSource;
import org.pgstaging.catalog.DataBlocks;
import org.pgstaging.catalog.FilterRules;
import org.pgstaging.catalog.FilterSummary;
import org.pgstaging.catalog.TriggerFunction;
import org.pgstaging.catalog.TriggerFunctions;
import org.pgstaging.config.Section;

/**
 * Builds the filtered {@code pg_restore -L} list of a dump, and answers the catalog questions
 * (catalog, triggers, nodata) either from a given dump file or from the newest backup, reading only
 * the catalog at the start of the remote file instead of downloading it.
 */
public final class CatalogPreparer {
    private CatalogPreparer() {}

    /** The filter's result for one restore. */
    public record Prepared(FilterSummary summary) {
        public int kept() { return summary.kept(); }

        /** One line: what is kept and what is left out, and why. */
        public String describe() {
            return CatalogPreparer.describe(summary);
        }
    }

    /** Most entries named in one line; the rest are counted. */
    private static final int NAMED = 3;

    /** The one-line summary a restore prints before pg_restore starts (and the approval card shows). */
    public static String describe(FilterSummary summary) {
        StringBuilder b = new StringBuilder();
        b.append(summary.kept()).append(" of ").append(summary.total()).append(" catalog entries kept");
        if (!summary.excludedSchemas().isEmpty()) b.append("; schemas left out: ").append(String.join(", ", summary.excludedSchemas()));
        int nodata = summary.nodataTables().size() + summary.moreNodataTables();
        if (nodata > 0) b.append("; ").append(nodata).append(" table(s) without data");
        int triggers = summary.droppedTriggers().size() + summary.moreDroppedTriggers();
        if (triggers > 0) b.append("; ").append(triggers).append(" trigger(s) dropped: ").append(String.join(", ", summary.droppedTriggers()));
        int dependent = summary.dependencyDrops().size() + summary.moreDependencyDrops();
        if (dependent > 0) {
            b.append("; ").append(dependent).append(" left out for what they need: ")
                    .append(String.join(", ", summary.dependencyDrops().subList(0, Math.min(NAMED, summary.dependencyDrops().size()))))
                    .append(dependent > NAMED ? " and " + (dependent - NAMED) + " more" : "");
        }
        return b.toString();
    }

    /**
     * Refuses a catalog whose filtered list pg_restore could not restore: a kept table (or other
     * entry holding data) needs an entry the filter leaves out. Said before anything is created,
     * naming both entries and the schemas to add.
     */
    public static void refuseConflicts(Section section, FilterSummary summary) {
        if (!summary.hasConflicts()) return;
        int n = summary.conflicts().size() + summary.moreConflicts();
        List<String> named = summary.conflicts().subList(0, Math.min(NAMED, summary.conflicts().size()));
        throw new PgStagingException("[" + section.name() + "] the filtered catalog cannot be restored: "
                + String.join("; ", named) + (n > NAMED ? "; and " + (n - NAMED) + " more" : ""),
                (summary.conflictSchemas().isEmpty() ? "" : "add " + String.join(", ", summary.conflictSchemas())
                        + " to schemas (or schemas_nodata) of [" + section.name() + "], or leave out the schemas of the"
                        + " entries that need them; ") + "pgstaging catalog " + section.name() + " lists them all");
    }

    /**
     * The filter's summary of what a restore would load, before anything is made: from the dump on
     * disk, or from the catalog at the head of the backup (only those bytes are read).
     */
    public static FilterSummary preview(StagingTarget target, Path localDump, BackupFile backup) {
        return localDump != null ? report(target, localDump, Writer.nullWriter()) : report(target, backup, Writer.nullWriter());
    }

    /** Opens a catalog; the checked exceptions of opening and closing are turned into one clear error. */
    private interface Opener {
        CatalogSource open() throws Exception;
    }

    /** What to do with an open catalog. */
    private interface Use<T> {
        T apply(CatalogSource source) throws Exception;
    }

    /** Every catalog question goes through here, so errors read the same whatever the question. */
    private static <T> T withCatalog(String name, Opener opener, Use<T> use) {
        try (CatalogSource source = opener.open()) {
            return use.apply(source);
        } catch (PgStagingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the catalog of " + name + " or write its list", e);
        } catch (Exception e) {
            throw new PgStagingException("cannot read the catalog of " + name + ": " + e.getMessage(), null, e);
        }
    }

    /** What filtering an open catalog writes into the list, and what it returns. */
    private interface Filtering<T> {
        T apply(CatalogSource source, Writer list) throws Exception;
    }

    /** Filters a catalog into the list file pg_restore -L reads. */
    private static <T> T writeList(String name, Opener opener, Path listFile, Filtering<T> filtering) {
        try {
            Files.createDirectories(listFile.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of the restore list " + listFile, e);
        }
        return withCatalog(name, opener, source -> {
            try (Writer out = Files.newBufferedWriter(listFile, StandardCharsets.UTF_8)) {
                return filtering.apply(source, out);
            }
        });
    }

    /** Work on the head of an archive stream, closed afterwards (early: only the catalog is read). */
    private static <T> T fromHead(InputStream archive, Supplier<T> work) {
        try {
            return work.get();
        } finally {
            try {
                archive.close();
            } catch (IOException ignored) {
                // only the head was wanted
            }
        }
    }

    private static Filtering<Prepared> filterFor(Section section) {
        return (source, list) -> new Prepared(new CatalogFilter(FilterRules.of(section)).filter(source, list));
    }

    static Prepared prepare(Section section, Path dump, Path listFile) {
        return writeList(dump.toString(), () -> Catalog.open(dump, section.schemas()), listFile, filterFor(section));
    }

    /** Like {@link #prepare(Section, InputStream, String, Path)}, noting where each data block lies. */
    static DataBlocks.Result prepareBlocks(Section section, InputStream archive, String name, Path listFile) {
        return fromHead(archive, () -> writeList(name, () -> Catalog.read(archive, name), listFile,
                (source, list) -> DataBlocks.filter((ArchiveTocReader) source, new CatalogFilter(FilterRules.of(section)), list)));
    }

    /** The filtered list from the catalog at the head of an archive stream, closed here (early: only the catalog is read). */
    static Prepared prepare(Section section, InputStream archive, String name, Path listFile) {
        return fromHead(archive, () -> writeList(name, () -> Catalog.read(archive, name), listFile, filterFor(section)));
    }

    /** Writes the filtered list of a dump (default: the newest backup) and returns what the filter did. */
    public static FilterSummary report(StagingTarget target, Path dumpFile, Writer out) {
        return withCatalog(describe(dumpFile), () -> open(target, dumpFile),
                source -> new CatalogFilter(FilterRules.of(target.section())).filter(source, out));
    }

    /** The filter's summary for one backup, streamed from its source. */
    public static FilterSummary report(StagingTarget target, BackupFile backup, Writer out) {
        return withCatalog(backup.fileName(), () -> Catalog.read(target.backups().openStream(backup), backup.fileName()),
                source -> new CatalogFilter(FilterRules.of(target.section())).filter(source, out));
    }

    public static List<TriggerFunction> triggers(StagingTarget target, Path dumpFile) {
        return withCatalog(describe(dumpFile), () -> open(target, dumpFile),
                source -> TriggerFunctions.list(source, FilterRules.of(target.section())));
    }

    private static String describe(Path dumpFile) {
        return dumpFile == null ? "the newest backup" : dumpFile.toString();
    }

    /** {@code schema.table} of the tables restored without data. */
    public static List<String> nodataTables(StagingTarget target, Path dumpFile) {
        FilterSummary s = report(target, dumpFile, Writer.nullWriter());
        List<String> out = new ArrayList<>(s.nodataTables());
        if (s.moreNodataTables() > 0) out.add("... and " + s.moreNodataTables() + " more");
        return out;
    }

    private static CatalogSource open(StagingTarget target, Path dumpFile) {
        Section s = target.section();
        if (dumpFile != null) {
            Path p = dumpFile.isAbsolute() || Files.exists(dumpFile) ? dumpFile : s.tmpdir().resolve(dumpFile);
            return Catalog.open(p, s.schemas());
        }
        List<BackupFile> backups = target.backups().list(s.dbname());
        if (backups.isEmpty()) {
            throw new PgStagingException("no dump of " + s.dbname() + " in " + target.backups().describe(),
                    "give a dump file: catalog " + s.name() + " FILE");
        }
        BackupFile newest = backups.get(backups.size() - 1);
        InputStream in = target.backups().openStream(newest);
        return Catalog.read(in, newest.fileName());
    }
}
