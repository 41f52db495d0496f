package org.pgstaging.pgbouncer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The text of a pgbouncer.ini, every line kept as written (comments, blank lines, other sections, odd
 * spacing, {@code %include} directives, line endings), with just enough understanding of {@code [databases]}
 * to add, replace or remove entries. {@link #render()} changes only the lines an edit touched, so an
 * administrator's file stays theirs. ini4j is not used on purpose: it rewrites the whole file.
 *
 * <p>Names: pgbouncer 1.18 only accepts {@code [A-Za-z0-9_.-]} (and {@code *}) unquoted and does not
 * understand quoted names at all; newer versions accept SQL-style {@code "quoted names"}. Quoted names are
 * read, and written only when a name needs them.
 */
public final class PgbouncerIni {
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_.-]+|\\*");
    private static final String DATABASES = "databases";

    private final List<Line> lines;

    /** One physical line; {@code eol} is its terminator as found ("\n", "\r\n" or "" for a last line without one). */
    private record Line(String text, String eol) {
        Line withEol(String newEol) {
            return new Line(text, newEol);
        }
    }

    /** A database definition found in the file: its line index, name and raw connection string. */
    private record Definition(int index, String name, String connstr) { }

    private PgbouncerIni(List<Line> lines) {
        this.lines = List.copyOf(lines);
    }

    public static PgbouncerIni parse(String text) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                lines.add(new Line(text.substring(start), ""));
                break;
            }
            boolean crlf = nl > start && text.charAt(nl - 1) == '\r';
            lines.add(new Line(text.substring(start, crlf ? nl - 1 : nl), crlf ? "\r\n" : "\n"));
            start = nl + 1;
        }
        PgbouncerIni ini = new PgbouncerIni(lines);
        ini.definitions(); // fail now, with a line number, on a [databases] line pgbouncer could not load either
        return ini;
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Line line : lines) {
            sb.append(line.text()).append(line.eol());
        }
        return sb.toString();
    }

    /** Entries of every {@code [databases]} section in file order; a name defined twice takes its last value, as in pgbouncer. */
    public Map<String, String> databases() {
        Map<String, String> result = new LinkedHashMap<>();
        for (Definition d : definitions()) {
            result.put(d.name(), d.connstr());
        }
        return Collections.unmodifiableMap(result);
    }

    /**
     * Every line pgstaging never changes, in order: all but the database definitions of
     * {@code [databases]} sections, their headers and blank lines. pgstaging-client refuses a new
     * file whose such lines differ from the current one's: over SSH, pgstaging may only edit the
     * {@code [databases]} entries.
     */
    public List<String> linesOutsideDatabases() {
        java.util.Set<Integer> definitions = new java.util.HashSet<>();
        definitions().forEach(d -> definitions.add(d.index()));
        List<String> result = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).text();
            if (definitions.contains(i) || text.isBlank() || DATABASES.equals(sectionName(text))) continue;
            result.add(text);
        }
        return result;
    }

    /** Targets of {@code %include} lines: databases defined there are not seen by this class. */
    public List<String> includes() {
        List<String> result = new ArrayList<>();
        for (Line line : lines) {
            String t = line.text().strip();
            if (t.regionMatches(true, 0, "%include", 0, 8)) {
                result.add(t.substring(8).strip());
            }
        }
        return result;
    }

    public boolean hasDatabasesSection() {
        return lines.stream().anyMatch(l -> DATABASES.equals(sectionName(l.text())));
    }

    /**
     * Sets {@code name} to {@code connstr}: its (last) definition is rewritten in place, otherwise a line is added
     * after the last entry of the first {@code [databases]} section (a {@code [databases]} section is appended
     * to the file when there is none).
     */
    public PgbouncerIni withDatabase(String name, String connstr) {
        checkName(name);
        PgbouncerEntry.parse(connstr);
        if (connstr.contains("\n") || connstr.contains("\r")) {
            throw new PgbouncerException("The connection string for '" + name + "' contains a line break",
                    "pgbouncer.ini entries are single lines: remove the line break");
        }
        Line newLine = new Line(formatName(name) + " = " + connstr.strip(), eol());
        List<Line> copy = new ArrayList<>(lines);
        List<Definition> existing = definitions().stream().filter(d -> d.name().equals(name)).toList();
        if (!existing.isEmpty()) {
            int index = existing.get(existing.size() - 1).index();
            copy.set(index, newLine.withEol(lines.get(index).eol()));
            return new PgbouncerIni(copy);
        }
        int header = firstDatabasesHeader();
        if (header < 0) {
            endWithNewline(copy);
            if (!copy.isEmpty() && !copy.get(copy.size() - 1).text().isBlank()) {
                copy.add(new Line("", eol()));
            }
            copy.add(new Line("[" + DATABASES + "]", eol()));
            copy.add(newLine);
            return new PgbouncerIni(copy);
        }
        int at = insertionPoint(header);
        if (at == copy.size()) {
            endWithNewline(copy);
        }
        copy.add(at, newLine);
        return new PgbouncerIni(copy);
    }

    /** Removes every definition of {@code name}; unchanged when there is none. */
    public PgbouncerIni withoutDatabase(String name) {
        List<Integer> doomed = definitions().stream().filter(d -> d.name().equals(name)).map(Definition::index).toList();
        if (doomed.isEmpty()) {
            return this;
        }
        List<Line> copy = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!doomed.contains(i)) {
                copy.add(lines.get(i));
            }
        }
        return new PgbouncerIni(copy);
    }

    /** The name as it must appear in pgbouncer.ini: bare when pgbouncer accepts it so, SQL-quoted otherwise. */
    public static String formatName(String name) {
        return SAFE_NAME.matcher(name).matches() ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** True when pgbouncer (every version, 1.18 included) reads the name without quotes. */
    public static boolean isBareName(String name) {
        return SAFE_NAME.matcher(name).matches();
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new PgbouncerException("Empty pgbouncer database name", "give the database a name");
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw new PgbouncerException("pgbouncer database name '" + name.replaceAll("\\p{Cntrl}", "?")
                    + "' contains control characters (line breaks, tabs...)", "use letters, digits, '_', '.' or '-'");
        }
        if (name.length() > 63) {
            throw new PgbouncerException("pgbouncer database name '" + name + "' is longer than 63 characters",
                    "PostgreSQL and pgbouncer truncate names at 63 bytes: use a shorter name");
        }
    }

    /** Right after the section's last entry; in a section without entries, before its trailing blank lines and
     *  before a comment block glued to the next section header (it describes that section). */
    private int insertionPoint(int header) {
        int end = header + 1;
        while (end < lines.size() && sectionName(lines.get(end).text()) == null) {
            end++;
        }
        for (int i = end - 1; i > header; i--) {
            if (isEntry(lines.get(i).text())) {
                return i + 1;
            }
        }
        int last = end - 1;
        if (end < lines.size()) {
            while (last > header && isComment(lines.get(last).text())) {
                last--;
            }
        }
        while (last > header && lines.get(last).text().isBlank()) {
            last--;
        }
        return last + 1;
    }

    private int firstDatabasesHeader() {
        for (int i = 0; i < lines.size(); i++) {
            if (DATABASES.equals(sectionName(lines.get(i).text()))) {
                return i;
            }
        }
        return -1;
    }

    private List<Definition> definitions() {
        List<Definition> result = new ArrayList<>();
        boolean inDatabases = false;
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).text();
            String section = sectionName(text);
            if (section != null) {
                inDatabases = DATABASES.equals(section);
            } else if (inDatabases && isEntry(text)) {
                result.add(parseDefinition(i, text));
            }
        }
        return result;
    }

    private static Definition parseDefinition(int index, String text) {
        String t = text.strip();
        String name;
        int i;
        if (t.startsWith("\"")) {
            StringBuilder sb = new StringBuilder();
            i = 1;
            while (true) {
                if (i >= t.length()) {
                    throw badLine(index, text, "the quoted name has no closing double quote");
                }
                char c = t.charAt(i++);
                if (c == '"') {
                    if (i < t.length() && t.charAt(i) == '"') {
                        sb.append('"');
                        i++;
                    } else {
                        break;
                    }
                } else {
                    sb.append(c);
                }
            }
            name = sb.toString();
        } else {
            i = 0;
            while (i < t.length() && t.charAt(i) != '=' && !Character.isWhitespace(t.charAt(i))) {
                i++;
            }
            name = t.substring(0, i);
        }
        while (i < t.length() && Character.isWhitespace(t.charAt(i))) {
            i++;
        }
        if (name.isEmpty() || i >= t.length() || t.charAt(i) != '=') {
            throw badLine(index, text, "expected 'name = connection string'");
        }
        return new Definition(index, name, t.substring(i + 1).strip());
    }

    private static PgbouncerException badLine(int index, String text, String what) {
        return new PgbouncerException("pgbouncer.ini line " + (index + 1) + " in [databases] cannot be read: "
                + what + ": " + PgbouncerEntry.redact(text),
                "fix that line (pgbouncer itself would not load it), then retry");
    }

    /** Lower-cased section name when the line is a section header, else null. */
    private static String sectionName(String text) {
        String t = text.strip();
        if (t.length() >= 2 && t.charAt(0) == '[' && t.charAt(t.length() - 1) == ']') {
            return t.substring(1, t.length() - 1).strip().toLowerCase(Locale.ROOT);
        }
        return null;
    }

    private static boolean isComment(String text) {
        String t = text.strip();
        return t.startsWith(";") || t.startsWith("#");
    }

    private static boolean isEntry(String text) {
        String t = text.strip();
        return !t.isEmpty() && !isComment(t) && !t.startsWith("%") && sectionName(t) == null;
    }

    /** New lines follow the file's own convention. */
    private String eol() {
        return lines.isEmpty() || lines.get(0).eol().isEmpty() ? "\n" : lines.get(0).eol();
    }

    private void endWithNewline(List<Line> copy) {
        int last = copy.size() - 1;
        if (last >= 0 && copy.get(last).eol().isEmpty()) {
            copy.set(last, copy.get(last).withEol(eol()));
        }
    }
}
