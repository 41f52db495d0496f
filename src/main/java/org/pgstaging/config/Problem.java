package org.pgstaging.config;

import java.nio.file.Path;

/**
 * One configuration error found while loading, kept as data so the loader can collect every
 * problem of a file (and drop duplicates found once per section) before throwing.
 */
record Problem(Path file, String section, String option, int line, String message, String hint) {

    ConfigException toException() {
        return new ConfigException(message, file, section, option, line, hint);
    }
}
