package org.pgstaging.config;

import java.nio.file.Path;
import org.pgstaging.PgStagingException;

/** A configuration problem, located by file, section, option and line (when known). */
public class ConfigException extends PgStagingException {
    private final Path file;
    private final String section;
    private final String option;
    private final int line;

    public ConfigException(String problem, Path file, String section, String option, int line, String hint) {
        super(format(problem, file, section, option, line), hint);
        this.file = file;
        this.section = section;
        this.option = option;
        this.line = line;
    }

    private static String format(String problem, Path file, String section, String option, int line) {
        StringBuilder where = new StringBuilder();
        if (file != null) where.append(file);
        if (line > 0) where.append(where.length() > 0 ? ":" : "line ").append(line);
        if (section != null) where.append(where.length() > 0 ? ": " : "").append('[').append(section).append(']');
        if (option != null) where.append(where.length() > 0 ? " " : "").append(option);
        return where.length() == 0 ? problem : where + ": " + problem;
    }

    public Path file() { return file; }
    public String section() { return section; }
    public String option() { return option; }
    public int line() { return line; }
}
