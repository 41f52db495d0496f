package org.pgstaging.config;

/** How a known option's value is checked when the file is loaded. */
enum OptionType {
    TEXT, PATH, PORT, POSITIVE_INT, BOOLEAN, LIST, REGEXP_LIST, DBNAME, IDENTIFIER, MAJOR, ENCODING, APPROVAL, RESTORE_MODE, SETTINGS, HOST, SSH_USER, RESTORE_ON
}
