package org.pgstaging.catalog;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Turns a dump catalog into a {@code pg_restore -L} list that restores only what a staging section wants.
 *
 * <p>Output: one {@code pg_restore -l} line per entry, in catalog order. Entries filtered out are written
 * as comments ({@code ;} followed by the line, as pg_staging did): pg_restore -L skips them, and a reader
 * of the list sees what was left out and can re-enable a line by removing its {@code ;}. Entries that
 * {@code pg_restore -l} does not list either ({@link CatalogEntry#isListed()}: ENCODING, DATABASE...) are
 * neither written nor counted; pg_restore applies the settings ones whatever the list says.
 *
 * <p>Rules (see {@link Reason}):
 * <ul>
 * <li>with {@code schemas} set, objects of schemas not in {@code schemas} ∪ {@code schemas_nodata} ∪ pg_catalog
 *     go, with their SCHEMA entry, and the COMMENT, ACL and SECURITY LABEL entries on them (found through the
 *     archive's dependencies, or for a schema through its tag {@code SCHEMA name}); entries with no schema
 *     (EXTENSION, CAST, DATABASE...) stay, except an EXTENSION created in a filtered-out schema other than
 *     public, whose creation would fail;</li>
 * <li>TABLE DATA of tables in {@code schemas_nodata}, or whose {@code schema.table} the regexp finds, goes;
 *     the table, its sequences' values and everything else stay;</li>
 * <li>a TRIGGER goes when the function it executes lives in a filtered-out schema, e.g. a replication
 *     trigger calling {@code pgq.logtriga()} when pgq is not restored. The function is read from the trigger's
 *     definition, or else from its dependency on a FUNCTION entry already filtered out. Entries read from
 *     {@code pg_restore -l} text have neither, so their triggers stay.</li>
 * </ul>
 *
 * <p>Streaming: memory is a bit per dumpId plus the capped summary, whatever the catalog size.
 */
public final class CatalogFilter {

    /** Why an entry is kept or left out. */
    public enum Reason {
        KEEP,
        /** The entry belongs to (or is) a schema that is not restored. */
        EXCLUDED_SCHEMA,
        /** A COMMENT, ACL or SECURITY LABEL on an object that is not restored. */
        PARENT_EXCLUDED,
        /** TABLE DATA of a table restored empty. */
        NODATA,
        /** A trigger whose function is in a schema that is not restored. */
        TRIGGER_FUNCTION_EXCLUDED
    }

    private final FilterRules rules;

    public CatalogFilter(FilterRules rules) {
        this.rules = rules;
    }

    public FilterRules rules() {
        return rules;
    }

    /**
     * Writes the filtered list of {@code entries} to {@code listOut} (not closed, flushed) and sums up.
     *
     * @throws CatalogException when the entries cannot be read
     * @throws UncheckedIOException when writing fails
     */
    public FilterSummary filter(Iterator<CatalogEntry> entries, Writer listOut) {
        Pass pass = start();
        Writer out = listOut instanceof BufferedWriter ? listOut : new BufferedWriter(listOut, 65536);
        try {
            while (entries.hasNext()) {
                CatalogEntry e = entries.next();
                if (!e.isListed()) continue;
                if (pass.decide(e) != Reason.KEEP) out.write(';');
                out.write(e.toListLine());
                out.write('\n');
            }
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the filtered catalog: " + ex.getMessage(), ex);
        }
        return pass.summary();
    }

    /** Starts a pass over one catalog: feed it every entry in order through {@link Pass#decide}. */
    public Pass start() {
        return new Pass();
    }

    /** The state of one pass: which dumpIds were left out, and the summary so far. */
    public final class Pass {
        private final Set<String> keptSchemas = rules.keptSchemas();
        /** Objects left out (not data): COMMENT/ACL entries depending on them go too. */
        private final BitSet droppedObjects = new BitSet();
        /** FUNCTION entries left out: triggers depending on them go too. */
        private final BitSet droppedFunctions = new BitSet();
        /** Names of the objects left out, kept only while few, to name what a broken dependency points at. */
        private final java.util.Map<Integer, String> droppedNames = new java.util.HashMap<>();
        private final Set<String> excludedSchemaNames = new HashSet<>();
        private final CappedList excludedSchemas = new CappedList(FilterSummary.CAP);
        private final CappedList nodataTables = new CappedList(FilterSummary.CAP);
        private final CappedList droppedTriggers = new CappedList(FilterSummary.CAP);
        private final CappedList brokenDependencies = new CappedList(FilterSummary.CAP);
        private int total;
        private int kept;
        private TriggerDefinition lastTrigger;

        private Pass() {}

        /** Decides on the next entry of the catalog and records it in the summary. */
        public Reason decide(CatalogEntry e) {
            total++;
            lastTrigger = null;
            Reason r = reason(e);
            switch (r) {
                case KEEP -> {
                    kept++;
                    checkDependencies(e);
                }
                case NODATA -> nodataTables.add(e.qualifiedName());
                case EXCLUDED_SCHEMA, PARENT_EXCLUDED -> {
                    droppedObjects.set(e.dumpId());
                    if (droppedNames.size() < FilterSummary.CAP) droppedNames.put(e.dumpId(), describe(e));
                    if (e.is("FUNCTION") || e.is("PROCEDURE")) droppedFunctions.set(e.dumpId());
                }
                case TRIGGER_FUNCTION_EXCLUDED -> {
                    droppedObjects.set(e.dumpId());
                    if (droppedNames.size() < FilterSummary.CAP) droppedNames.put(e.dumpId(), describe(e));
                    droppedTriggers.add(describeTrigger(e, lastTrigger));
                }
            }
            return r;
        }

        /** The trigger definition parsed by the last {@link #decide} call on a TRIGGER entry, if any. */
        TriggerDefinition lastTrigger() {
            return lastTrigger;
        }

        public FilterSummary summary() {
            return new FilterSummary(total, kept, excludedSchemas.items(), nodataTables.items(),
                    droppedTriggers.items(), brokenDependencies.items(), excludedSchemas.more(), nodataTables.more(),
                    droppedTriggers.more(), brokenDependencies.more());
        }

        /** A kept entry needing a left-out object will fail to restore: say so before pg_restore does. */
        private void checkDependencies(CatalogEntry e) {
            for (int d : e.dependencies()) {
                if (droppedObjects.get(d)) {
                    brokenDependencies.add(describe(e) + " -> " + droppedNames.getOrDefault(d, "entry " + d));
                    return;
                }
            }
        }

        private Reason reason(CatalogEntry e) {
            if (keptSchemas != null) {
                Reason r = schemaReason(e);
                if (r != Reason.KEEP) return r;
            }
            if (e.is("TABLE DATA") && rules.isNodataTable(e.namespace(), e.tag())) return Reason.NODATA;
            if (e.is("TRIGGER")) {
                lastTrigger = TriggerDefinition.parse(e.defn()).orElse(null);
                if (keptSchemas != null && callsDroppedFunction(e)) return Reason.TRIGGER_FUNCTION_EXCLUDED;
            }
            return Reason.KEEP;
        }

        private Reason schemaReason(CatalogEntry e) {
            String ns = e.namespace();
            if (e.is("SCHEMA") && ns == null) return excludedIfNotKept(e.tag(), true);
            if (ns != null && !keptSchemas.contains(ns)) return excludedIfNotKept(ns, false);
            if (isDependent(e)) {
                // e.g. a comment on a dropped trigger, whose own schema is kept
                for (int d : e.dependencies()) {
                    if (droppedObjects.get(d)) return Reason.PARENT_EXCLUDED;
                }
                if (ns == null && e.tag().startsWith("SCHEMA ")) {
                    return excludedIfNotKept(SqlTokens.identifier(e.tag().substring("SCHEMA ".length())), false);
                }
            }
            if (ns == null && e.is("EXTENSION")) {
                String schema = extensionSchema(e.defn());
                if (schema != null && !schema.equals("public")) return excludedIfNotKept(schema, false);
            }
            return Reason.KEEP;
        }

        private Reason excludedIfNotKept(String schema, boolean schemaEntry) {
            if (keptSchemas.contains(schema)) return Reason.KEEP;
            if (!excludedSchemaNames.contains(schema)) {
                if (excludedSchemaNames.size() < FilterSummary.CAP) {
                    excludedSchemaNames.add(schema);
                    excludedSchemas.add(schema);
                } else if (schemaEntry) {
                    excludedSchemas.add(schema); // only counted: each SCHEMA entry is seen once
                }
            }
            return Reason.EXCLUDED_SCHEMA;
        }

        private boolean callsDroppedFunction(CatalogEntry e) {
            if (lastTrigger != null) return !keptSchemas.contains(lastTrigger.functionSchema());
            for (int d : e.dependencies()) {
                if (droppedFunctions.get(d)) return true;
            }
            return false;
        }
    }

    private static String describe(CatalogEntry e) {
        return e.desc() + " " + e.qualifiedName();
    }

    private static boolean isDependent(CatalogEntry e) {
        return e.is("COMMENT") || e.is("ACL") || e.is("SECURITY LABEL");
    }

    /** The schema of {@code CREATE EXTENSION ... WITH SCHEMA x}, or null. */
    static String extensionSchema(String defn) {
        if (defn == null) return null;
        List<SqlTokens.Token> t = SqlTokens.tokenize(defn, 64);
        for (int i = 0; i + 2 < t.size(); i++) {
            if (t.get(i).isWord("WITH") && t.get(i + 1).isWord("SCHEMA") && t.get(i + 2).isIdentifier()) {
                return t.get(i + 2).text();
            }
        }
        return null;
    }

    /** {@code schema.table.trigger -> schema.function}, from the definition when there is one. */
    static String describeTrigger(CatalogEntry e, TriggerDefinition def) {
        if (def != null) {
            String schema = def.tableSchema() != null ? def.tableSchema() : e.namespace();
            return schema + "." + def.table() + "." + def.trigger() + " -> " + def.qualifiedFunction();
        }
        return e.namespace() + "." + e.tag() + " -> (a function of an excluded schema)";
    }
}
