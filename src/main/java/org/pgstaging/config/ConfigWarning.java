package org.pgstaging.config;

import java.nio.file.Path;

/**
 * Something in the configuration that does not stop pgstaging but is probably a mistake,
 * e.g. an unknown (hence ignored) option. {@code section}/{@code option} may be null and
 * {@code line} is 0 when not known (values set with {@link StagingConfig#withOverride}).
 */
public record ConfigWarning(Path file, String section, String option, int line, String message) {

    @Override
    public String toString() {
        StringBuilder where = new StringBuilder();
        if (file != null) where.append(file);
        if (line > 0) where.append(where.length() > 0 ? ":" : "line ").append(line);
        if (section != null) where.append(where.length() > 0 ? ": " : "").append('[').append(section).append(']');
        if (option != null) where.append(where.length() > 0 ? " " : "").append(option);
        return where.length() == 0 ? message : where + ": " + message;
    }
}
