package org.pgstaging.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads pg_staging's ini dialect (Python ConfigParser's) into a {@link RawIni}, keeping the line of
 * every section and option.
 *
 * <p>Why not ini4j's parser: its {@code IniHandler} callbacks carry no line number (the line
 * counter lives in the package-private {@code IniSource}), it stops at the first malformed line,
 * it continues values with a trailing backslash instead of Python's indented continuation
 * lines, and it unescapes backslashes, which would corrupt regexps such as {@code \d}. Python's
 * format is a few rules, so a line reader is smaller than working around all four.
 *
 * <p>Rules, as Python 3's ConfigParser: {@code [name]} headers; {@code key = value} or
 * {@code key: value} (first {@code =} or {@code :} splits); keys lowercased; lines whose first
 * non-blank character is {@code #} or {@code ;} are comments; a line indented deeper than its
 * option's line continues the value (joined with a newline); blank lines are skipped; no inline
 * comments (a value keeps {@code " ; ..."}, with a warning, as Python 2 cut there). As Python 2 (pg_staging's), a value
 * of exactly {@code ""} is empty.
 */
final class IniReader {
    /** Config files are small; refuse anything bigger rather than read a mistaken dump. */
    static final long MAX_BYTES = 4L * 1024 * 1024;

    private final Path file;
    private final List<Problem> problems;
    private final List<ConfigWarning> warnings = new ArrayList<>();
    private final Map<String, Builder> sections = new LinkedHashMap<>();
    private Builder current;
    private String currentOption;
    private int currentIndent;

    private IniReader(Path file, List<Problem> problems) {
        this.file = file;
        this.problems = problems;
    }

    /** Parses {@code file}; syntax errors go to {@code problems}, the file is still read to its end. */
    static RawIni read(Path file, List<Problem> problems) {
        byte[] bytes = readBytes(file);
        IniReader reader = new IniReader(file, problems);
        reader.parse(bytes);
        return reader.result();
    }

    private static byte[] readBytes(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException("file is larger than " + MAX_BYTES / 1024 + " KB, not a configuration file",
                        file, null, null, 0, "check the -c option or PGSTAGING_CONFIG");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw ConfigLoader.unreadable(file, e.getMessage());
        }
    }

    private void parse(byte[] bytes) {
        int start = 0;
        int lineNo = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            start = 3; // UTF-8 byte order mark, as some Windows editors write
        }
        while (start <= bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') end++;
            if (start == bytes.length) break;
            lineNo++;
            int len = end - start;
            if (len > 0 && bytes[end - 1] == '\r') len--;
            String line = decode(bytes, start, len, lineNo);
            if (line != null) parseLine(line, lineNo);
            start = end + 1;
        }
    }

    private String decode(byte[] bytes, int start, int len, int lineNo) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, len)).toString();
        } catch (CharacterCodingException e) {
            problems.add(new Problem(file, null, null, lineNo, "line is not valid UTF-8",
                    "save the file as UTF-8"));
            return null;
        }
    }

    private void parseLine(String line, int lineNo) {
        String stripped = line.strip();
        if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) return;
        int indent = indentOf(line);
        if (currentOption != null && indent > currentIndent) {
            current.append(currentOption, stripped);
            return;
        }
        if (stripped.startsWith("[")) {
            header(stripped, lineNo);
            return;
        }
        option(stripped, indent, lineNo);
    }

    private void header(String stripped, int lineNo) {
        currentOption = null;
        int close = stripped.indexOf(']');
        String rest = close < 0 ? "" : stripped.substring(close + 1).strip();
        if (close < 0 || !(rest.isEmpty() || rest.startsWith("#") || rest.startsWith(";"))) {
            problems.add(new Problem(file, null, null, lineNo, "malformed section header '" + stripped + "'",
                    "write a section header alone on its line, e.g. [foodb.dev]"));
            current = null;
            return;
        }
        String name = stripped.substring(1, close).strip();
        if (name.isEmpty()) {
            problems.add(new Problem(file, null, null, lineNo, "empty section name '[]'",
                    "name the section after the database and environment, e.g. [foodb.dev]"));
            current = null;
            return;
        }
        String canonical = canonical(name, lineNo);
        Builder existing = sections.get(canonical);
        if (existing != null) {
            warnings.add(new ConfigWarning(file, canonical, null, lineNo, "section [" + canonical
                    + "] appears again (first at line " + existing.line + "); its options are merged"));
            current = existing;
        } else {
            current = new Builder(canonical, lineNo);
            sections.put(canonical, current);
        }
    }

    /** [DEFAULT] and [slack] are special whatever their case; other names are kept as written. */
    private String canonical(String name, int lineNo) {
        if (name.equalsIgnoreCase(RawIni.DEFAULT)) {
            if (!name.equals(RawIni.DEFAULT)) {
                warnings.add(new ConfigWarning(file, RawIni.DEFAULT, null, lineNo,
                        "[" + name + "] is read as [DEFAULT]; write it in capitals, as Python's ConfigParser needs"));
            }
            return RawIni.DEFAULT;
        }
        return name.equalsIgnoreCase(RawIni.SLACK) ? RawIni.SLACK : name;
    }

    private void option(String stripped, int indent, int lineNo) {
        int eq = stripped.indexOf('=');
        int colon = stripped.indexOf(':');
        int sep = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
        if (sep <= 0) {
            currentOption = null;
            problems.add(new Problem(file, current == null ? null : current.name, null, lineNo,
                    sep == 0 ? "option name missing before '" + stripped.charAt(0) + "'"
                             : "cannot parse '" + stripped + "'",
                    "write 'option = value' (or 'option: value'), a [section] header, or a comment starting with # or ;"));
            return;
        }
        String name = stripped.substring(0, sep).strip().toLowerCase(Locale.ROOT);
        String value = stripped.substring(sep + 1).strip();
        if (value.equals("\"\"")) value = "";
        if (current == null) {
            currentOption = null;
            problems.add(new Problem(file, null, name, lineNo, "option outside of any section",
                    "put it under [DEFAULT] or under a staging section such as [foodb.dev]"));
            return;
        }
        if (value.contains(" ;") || value.contains("\t;")) {
            // pg_staging's Python 2 cut values at " ;"; Python 3 and pgstaging do not.
            warnings.add(new ConfigWarning(file, current.name, name, lineNo,
                    "value contains ' ;': comments are only recognised at the start of a line, so it is part of the value"));
        }
        RawIni.Option previous = current.options.get(name);
        if (previous != null) {
            warnings.add(new ConfigWarning(file, current.name, name, lineNo,
                    "option set twice in [" + current.name + "] (first at line " + previous.line() + "); the last value wins"));
            current.options.remove(name); // re-insert so that the order follows the winning line
        }
        current.options.put(name, new RawIni.Option(name, value, lineNo));
        currentOption = name;
        currentIndent = indent;
    }

    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
        return i;
    }

    private RawIni result() {
        Builder dflt = sections.remove(RawIni.DEFAULT);
        RawIni.Sect defaults = dflt == null ? new RawIni.Sect(RawIni.DEFAULT, 0, Map.of()) : dflt.build();
        List<RawIni.Sect> others = new ArrayList<>();
        for (Builder b : sections.values()) others.add(b.build());
        return new RawIni(defaults, others, warnings);
    }

    private static final class Builder {
        final String name;
        final int line;
        final Map<String, RawIni.Option> options = new LinkedHashMap<>();

        Builder(String name, int line) {
            this.name = name;
            this.line = line;
        }

        void append(String option, String more) {
            RawIni.Option o = options.get(option);
            String joined = o.value().isEmpty() ? more : o.value() + "\n" + more;
            options.put(option, new RawIni.Option(option, joined, o.line()));
        }

        RawIni.Sect build() {
            return new RawIni.Sect(name, line, options);
        }
    }
}
