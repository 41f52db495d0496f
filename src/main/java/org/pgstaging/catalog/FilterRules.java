package org.pgstaging.catalog;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.pgstaging.config.Section;

/**
 * What to leave out of a restore, from a staging section.
 *
 * @param schemas               schemas to restore; empty means all of them
 * @param schemasNodata         schemas restored without their table data (kept even when not in {@code schemas})
 * @param tablenameNodataRegexp tables restored without data: matched unanchored ({@link java.util.regex.Matcher#find()},
 *                              like pg_staging's {@code re.search}) against {@code schema.table}, names unquoted,
 *                              e.g. {@code _log$|^app\.sessions$}
 */
public record FilterRules(List<String> schemas, List<String> schemasNodata, Optional<Pattern> tablenameNodataRegexp) {

    public FilterRules {
        schemas = List.copyOf(Objects.requireNonNull(schemas, "schemas"));
        schemasNodata = List.copyOf(Objects.requireNonNull(schemasNodata, "schemasNodata"));
        tablenameNodataRegexp = Objects.requireNonNull(tablenameNodataRegexp, "tablenameNodataRegexp");
    }

    /** Rules of a section: its {@code schemas}, {@code schemas_nodata} and {@code tablename_nodata_regexp}. */
    public static FilterRules of(Section section) {
        return new FilterRules(section.schemas(), section.schemasNodata(), section.tablenameNodataRegexp());
    }

    /** Rules that keep everything. */
    public static FilterRules none() {
        return new FilterRules(List.of(), List.of(), Optional.empty());
    }

    /** True when a {@code schemas} list restricts which schemas are restored. */
    public boolean restrictsSchemas() {
        return !schemas.isEmpty();
    }

    /** True when nothing would be filtered out. */
    public boolean keepsEverything() {
        return schemas.isEmpty() && schemasNodata.isEmpty() && tablenameNodataRegexp.isEmpty();
    }

    /** The schemas whose objects are restored, for repeated lookups; null when all are. */
    Set<String> keptSchemas() {
        if (schemas.isEmpty()) return null;
        Set<String> kept = new HashSet<>(schemas);
        kept.addAll(schemasNodata);
        kept.add("pg_catalog"); // built-in objects (casts, functions of extensions) are never filtered
        return kept;
    }

    /** Whether objects of {@code schema} are restored at all. */
    public boolean keepsSchema(String schema) {
        return schemas.isEmpty() || schema.equals("pg_catalog") || schemas.contains(schema)
                || schemasNodata.contains(schema);
    }

    /** Whether the data of table {@code schema.table} is left out. */
    public boolean isNodataTable(String schema, String table) {
        if (schema != null && schemasNodata.contains(schema)) return true;
        return tablenameNodataRegexp.isPresent()
                && tablenameNodataRegexp.get().matcher(schema == null ? table : schema + "." + table).find();
    }
}
