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
 *     go, with their SCHEMA entry; so does an EXTENSION created in such a schema (other than public, which
 *     every database has);</li>
 * <li>then the archive's own dependencies: an entry that needs (directly or through others) an entry left
 *     out goes too, and is listed with what it needs: a cast of a left-out type, an event trigger or a
 *     trigger calling a left-out function, a view or a foreign key of a left-out table, a foreign server
 *     of a left-out wrapper (and its user mappings, which the archive names by server only), the COMMENT,
 *     ACL and SECURITY LABEL entries of anything left out. A dependency on the public SCHEMA entry is not
 *     followed: the target database has a public schema of its own;</li>
 * <li>an entry holding data (a table, its data, a sequence, a large object) is never left out that way:
 *     when it needs a left-out entry (a column of a left-out type, a partition of a left-out parent) it
 *     stays in the list and is reported as a conflict, so a restore refuses before creating anything
 *     and names the schema to add;</li>
 * <li>TABLE DATA of tables in {@code schemas_nodata}, or whose {@code schema.table} the regexp finds, goes;
 *     the table, its sequences' values and everything else stay; a foreign key from a table restored with
 *     its data to one restored without goes (it could not be validated);</li>
 * <li>a TRIGGER whose definition calls a function of a left-out schema goes even when the archive has no
 *     entry for that function (one of an extension, e.g. {@code pgq.logtriga()} when pgq is not restored).
 *     Entries read from {@code pg_restore -l} text have neither definitions nor dependencies, so only the
 *     schema rules apply to them.</li>
 * </ul>
 *
 * <p>The catalog is read in one pass, in its order, which is pg_dump's dependency order: an entry comes
 * after those it needs. Memory is a few bits per dumpId, the names of left-out entries (capped) and the
 * capped summary, whatever the catalog size.
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
        TRIGGER_FUNCTION_EXCLUDED,
        /** The entry needs an entry that is left out. */
        DEPENDENCY,
        /** A foreign key from a table restored with its data to one restored without. */
        NODATA_REFERENCE
    }

    /** Names of left-out entries kept to explain what needs them; beyond, an entry is named by its id. */
    private static final int NAMES_CAP = 20_000;

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
        /** Objects left out (not data): entries needing them go too. */
        private final BitSet droppedObjects = new BitSet();
        /** FUNCTION entries left out: triggers depending on them go too. */
        private final BitSet droppedFunctions = new BitSet();
        /** What each left-out object is and the schema whose exclusion it comes from (capped). */
        private final java.util.Map<Integer, Dropped> droppedNames = new java.util.HashMap<>();
        /** Foreign servers left out, by name: user mappings name their server in their tag only. */
        private final java.util.Map<String, Integer> droppedServers = new java.util.HashMap<>();
        private int publicSchemaId = -1;
        private final Set<String> excludedSchemaNames = new HashSet<>();
        private final CappedList excludedSchemas = new CappedList(FilterSummary.CAP);
        private final CappedList nodataTableNames = new CappedList(FilterSummary.CAP);
        private final CappedList droppedTriggers = new CappedList(FilterSummary.CAP);
        private final CappedList dependencyDrops = new CappedList(FilterSummary.CAP);
        private final CappedList conflicts = new CappedList(FilterSummary.CAP);
        private final java.util.LinkedHashSet<String> conflictSchemas = new java.util.LinkedHashSet<>();
        private int total;
        private int kept;
        private TriggerDefinition lastTrigger;
        /** For DEPENDENCY: the left-out entry the last decided one needs. */
        private int blockedBy;
        /** The left-out schema the schema rules named while deciding the last entry, else null. */
        private String leftOutSchema;

        private Pass() {}

        /** Decides on the next entry of the catalog and records it in the summary. */
        public Reason decide(CatalogEntry e) {
            total++;
            lastTrigger = null;
            blockedBy = -1;
            leftOutSchema = null;
            Reason r = reason(e);
            switch (r) {
                case KEEP -> kept++;
                case NODATA -> nodataTableNames.add(e.qualifiedName());
                case EXCLUDED_SCHEMA -> leftOut(e, new Dropped(describe(e), leftOutSchema));
                case PARENT_EXCLUDED, DEPENDENCY -> {
                    Dropped cause = blockedBy < 0 ? null : droppedNames.get(blockedBy);
                    leftOut(e, new Dropped(describe(e), cause != null ? cause.schema() : leftOutSchema));
                    if (r == Reason.DEPENDENCY) {
                        dependencyDrops.add(describe(e) + " needs " + (cause == null ? "entry " + blockedBy : cause.name()));
                    }
                }
                case TRIGGER_FUNCTION_EXCLUDED -> {
                    leftOut(e, new Dropped(describe(e), lastTrigger == null ? null : lastTrigger.functionSchema()));
                    droppedTriggers.add(describeTrigger(e, lastTrigger));
                }
                case NODATA_REFERENCE -> {
                    leftOut(e, new Dropped(describe(e), null));
                    dependencyDrops.add(describe(e) + " references a table restored without its data");
                }
            }
            return r;
        }

        private void leftOut(CatalogEntry e, Dropped why) {
            droppedObjects.set(e.dumpId());
            if (droppedNames.size() < NAMES_CAP) droppedNames.put(e.dumpId(), why);
            if (e.is("FUNCTION") || e.is("PROCEDURE")) droppedFunctions.set(e.dumpId());
            if (e.is("SERVER")) droppedServers.put(e.tag(), e.dumpId());
            if (e.is("SCHEMA") && e.tag().equals("public")) publicSchemaId = e.dumpId();
        }

        /** The trigger definition parsed by the last {@link #decide} call on a TRIGGER entry, if any. */
        TriggerDefinition lastTrigger() {
            return lastTrigger;
        }

        public FilterSummary summary() {
            return new FilterSummary(total, kept, excludedSchemas.items(), nodataTableNames.items(),
                    droppedTriggers.items(), dependencyDrops.items(), conflicts.items(), List.copyOf(conflictSchemas),
                    excludedSchemas.more(), nodataTableNames.more(), droppedTriggers.more(), dependencyDrops.more(),
                    conflicts.more());
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
            int missing = droppedDependency(e);
            if (missing >= 0) {
                blockedBy = missing;
                if (isDependent(e)) return Reason.PARENT_EXCLUDED;
                if (holdsData(e)) {
                    conflict(e, missing);
                    return Reason.KEEP;
                }
                return Reason.DEPENDENCY;
            }
            if (e.is("USER MAPPING") && droppedServers.containsKey(mappedServer(e.tag()))) {
                blockedBy = droppedServers.get(mappedServer(e.tag()));
                return Reason.DEPENDENCY;
            }
            if (e.is("FK CONSTRAINT") && referencesEmptyFromFull(e)) return Reason.NODATA_REFERENCE;
            return Reason.KEEP;
        }

        /** The first dependency left out, or -1; the public SCHEMA entry does not count (every database has one). */
        private int droppedDependency(CatalogEntry e) {
            for (int d : e.dependencies()) {
                if (d != publicSchemaId && droppedObjects.get(d)) return d;
            }
            return -1;
        }

        private void conflict(CatalogEntry e, int missing) {
            Dropped cause = droppedNames.get(missing);
            String schema = cause == null ? null : cause.schema();
            conflicts.add(describe(e) + " needs " + (cause == null ? "entry " + missing : cause.name())
                    + (schema == null ? "" : " (schema " + schema + " is not restored)"));
            if (schema != null) conflictSchemas.add(schema);
        }

        /**
         * A foreign key of a table restored with its data, referencing one restored without: it could
         * not be validated. Which table is which comes from the definition (the rules are by name).
         */
        private boolean referencesEmptyFromFull(CatalogEntry e) {
            return ForeignKeyDefinition.parse(e.defn())
                    .filter(fk -> !rules.isNodataTable(fk.schema() == null ? e.namespace() : fk.schema(), fk.table()))
                    .filter(fk -> rules.isNodataTable(fk.referencedSchema() == null ? e.namespace() : fk.referencedSchema(),
                            fk.referencedTable()))
                    .isPresent();
        }

        private Reason schemaReason(CatalogEntry e) {
            String ns = e.namespace();
            if (e.is("SCHEMA") && ns == null) return excludedIfNotKept(e.tag(), true);
            if (ns != null && !keptSchemas.contains(ns)) return excludedIfNotKept(ns, false);
            if (isDependent(e) && ns == null && e.tag().startsWith("SCHEMA ")) {
                Reason r = excludedIfNotKept(SqlTokens.identifier(e.tag().substring("SCHEMA ".length())), false);
                if (r != Reason.KEEP) return Reason.PARENT_EXCLUDED;
            }
            if (ns == null && e.is("EXTENSION")) {
                String schema = extensionSchema(e.defn());
                if (schema != null && !schema.equals("public")) return excludedIfNotKept(schema, false);
            }
            return Reason.KEEP;
        }

        private Reason excludedIfNotKept(String schema, boolean schemaEntry) {
            if (keptSchemas.contains(schema)) return Reason.KEEP;
            leftOutSchema = schema;
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

    /** A left-out entry: how to name it, and the left-out schema it comes from (null when none). */
    private record Dropped(String name, String schema) { }

    /**
     * Entries whose loss loses data: never left out because of a dependency (the restore refuses
     * instead). Everything else is definitions PostgreSQL can do without: views, functions, casts,
     * triggers, constraints, indexes, servers...
     */
    private static boolean holdsData(CatalogEntry e) {
        return switch (e.desc()) {
            case "TABLE", "TABLE DATA", "SEQUENCE", "SEQUENCE SET", "BLOB", "BLOBS", "BLOB METADATA", "LARGE OBJECT" -> true;
            default -> false;
        };
    }

    /** The server of a user mapping's tag, {@code USER MAPPING role SERVER name}. */
    static String mappedServer(String tag) {
        int at = tag.lastIndexOf(" SERVER ");
        return at < 0 ? "" : tag.substring(at + " SERVER ".length());
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
