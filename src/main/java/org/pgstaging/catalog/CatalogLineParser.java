package org.pgstaging.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses {@code pg_restore -l} lines: {@code dumpId; catalogOid objectOid DESC NAMESPACE TAG OWNER}.
 *
 * <p>pg_restore prints names unquoted and separated by single spaces, so the split is ambiguous: in
 * {@code 235; 1259 16482 TABLE Sales Data Order "Items" postgres} the schema could be {@code Sales} or
 * {@code Sales Data}. This parser settles it with what it knows: the multi-word entry types pg_dump writes
 * (TABLE DATA, SEQUENCE OWNED BY, ...), and schema names: those given to it (the configured schemas) plus
 * every SCHEMA entry it has parsed so far (pg_dump lists schemas before their contents). The owner is the
 * last word, so owner names with spaces are misread (they are not used for filtering). The archive reader
 * ({@link ArchiveTocReader}) has none of these limits; use this for list files and unreadable archives.
 *
 * <p>One parser per list: it learns schema names as it goes. Not thread-safe.
 */
public final class CatalogLineParser {
    /** Entry types pg_dump writes (pg_dump.c, pg_backup_archiver.c), up to PostgreSQL 17. */
    static final List<String> KNOWN_DESCS = List.of(
            "ACCESS METHOD", "ACL", "ACL LANGUAGE", "AGGREGATE", "BLOB", "BLOB COMMENTS", "BLOB METADATA", "BLOBS",
            "CAST", "CHECK CONSTRAINT", "COLLATION", "COMMENT", "CONSTRAINT", "CONVERSION", "DATABASE",
            "DATABASE PROPERTIES", "DEFAULT", "DEFAULT ACL", "DOMAIN", "ENCODING", "EVENT TRIGGER", "EXTENSION",
            "FK CONSTRAINT", "FOREIGN DATA WRAPPER", "FOREIGN SERVER", "FOREIGN TABLE", "FUNCTION", "INDEX",
            "INDEX ATTACH", "LARGE OBJECT", "MATERIALIZED VIEW", "MATERIALIZED VIEW DATA", "OPERATOR",
            "OPERATOR CLASS", "OPERATOR FAMILY", "POLICY", "PROCEDURAL LANGUAGE", "PROCEDURE", "PUBLICATION",
            "PUBLICATION TABLE", "PUBLICATION TABLES IN SCHEMA", "ROW SECURITY", "RULE", "SCHEMA", "SEARCHPATH",
            "SECURITY LABEL", "SEQUENCE", "SEQUENCE OWNED BY", "SEQUENCE SET", "SERVER", "SHELL TYPE",
            "STATISTICS", "STATISTICS DATA", "STDSTRINGS", "SUBSCRIPTION", "SUBSCRIPTION TABLE", "TABLE",
            "TABLE ATTACH", "TABLE DATA", "TEXT SEARCH CONFIGURATION", "TEXT SEARCH DICTIONARY",
            "TEXT SEARCH PARSER", "TEXT SEARCH TEMPLATE", "TRANSFORM", "TRIGGER", "TYPE", "USER MAPPING", "VIEW");

    /** Known descs by first word, longest first, so "TABLE DATA" wins over "TABLE". */
    private static final Map<String, List<String>> DESCS_BY_FIRST_WORD = indexDescs();

    private final Set<String> schemas = new HashSet<>();
    /** Known schema names containing a space, longest first: only these make the split ambiguous. */
    private final List<String> spacedSchemas = new ArrayList<>();

    /** @param knownSchemas schema names to recognise from the start, e.g. the configured schemas */
    public CatalogLineParser(Collection<String> knownSchemas) {
        learnSchema("public");
        learnSchema("pg_catalog");
        for (String s : knownSchemas) learnSchema(s);
    }

    /**
     * Parses one line. Empty for blank lines and {@code ;} comments (pg_restore's header, filtered entries).
     *
     * @param lineNumber 1-based, for the error message
     * @throws CatalogException when the line is not a {@code pg_restore -l} entry line
     */
    public Optional<CatalogEntry> parse(String line, int lineNumber) {
        if (line.isBlank() || line.charAt(0) == ';') return Optional.empty();
        int semi = line.indexOf("; ");
        int sp1 = semi < 0 ? -1 : line.indexOf(' ', semi + 2);
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp2 < 0) throw malformed(line, lineNumber, "expected 'dumpId; catalogOid objectOid DESC ...'");
        int dumpId;
        long catalogOid;
        long objectOid;
        try {
            dumpId = Integer.parseInt(line.substring(0, semi));
            catalogOid = Long.parseLong(line.substring(semi + 2, sp1));
            objectOid = Long.parseLong(line.substring(sp1 + 1, sp2));
        } catch (NumberFormatException e) {
            throw malformed(line, lineNumber, "the dump id and the two OIDs must be numbers");
        }
        String rest = line.substring(sp2 + 1);
        String desc = matchDesc(rest);
        if (desc == null) throw malformed(line, lineNumber, "no entry type after the OIDs");
        rest = rest.length() > desc.length() ? rest.substring(desc.length() + 1) : "";

        String namespace;
        if (rest.startsWith("- ") || rest.equals("-")) {
            namespace = null;
            rest = rest.length() > 2 ? rest.substring(2) : "";
        } else {
            namespace = matchSpacedSchema(rest);
            if (namespace == null) {
                int sp = rest.indexOf(' ');
                namespace = sp < 0 ? rest : rest.substring(0, sp);
            }
            rest = rest.length() > namespace.length() ? rest.substring(namespace.length() + 1) : "";
        }
        // the owner is the last word; it is empty (line ends with a space) for entries without one
        int last = rest.lastIndexOf(' ');
        String tag = last < 0 ? rest : rest.substring(0, last);
        String owner = last < 0 ? "" : rest.substring(last + 1);
        if (desc.equals("SCHEMA") && namespace == null) learnSchema(tag);
        return Optional.of(CatalogEntry.of(dumpId, catalogOid, objectOid, desc, namespace, tag, owner));
    }

    /** Schema names this parser knows now, including those learned from SCHEMA lines. */
    public Set<String> knownSchemas() {
        return Set.copyOf(schemas);
    }

    private void learnSchema(String schema) {
        if (schema.isEmpty() || !schemas.add(schema)) return;
        if (schema.indexOf(' ') >= 0) {
            spacedSchemas.add(schema);
            spacedSchemas.sort(Comparator.comparingInt(String::length).reversed());
        }
    }

    private String matchSpacedSchema(String rest) {
        for (String s : spacedSchemas) {
            if (rest.length() > s.length() && rest.startsWith(s) && rest.charAt(s.length()) == ' ') return s;
        }
        return null;
    }

    private static String matchDesc(String rest) {
        int sp = rest.indexOf(' ');
        String first = sp < 0 ? rest : rest.substring(0, sp);
        if (first.isEmpty()) return null;
        for (String d : DESCS_BY_FIRST_WORD.getOrDefault(first, List.of())) {
            if (rest.startsWith(d) && (rest.length() == d.length() || rest.charAt(d.length()) == ' ')) return d;
        }
        // an entry type newer than this list: take its first word, as pg_staging did
        return first;
    }

    private static Map<String, List<String>> indexDescs() {
        Map<String, List<String>> m = new HashMap<>();
        for (String d : KNOWN_DESCS) {
            String first = d.contains(" ") ? d.substring(0, d.indexOf(' ')) : d;
            m.computeIfAbsent(first, k -> new ArrayList<>()).add(d);
        }
        m.values().forEach(l -> l.sort(Comparator.comparingInt(String::length).reversed()));
        return m;
    }

    private static CatalogException malformed(String line, int lineNumber, String why) {
        String shown = line.length() > 120 ? line.substring(0, 120) + "..." : line;
        return new CatalogException("catalog line " + lineNumber + ": " + why + ": " + shown,
                "give the output of 'pg_restore -l DUMP' (lines like '235; 1259 16482 TABLE app customers postgres')");
    }
}
