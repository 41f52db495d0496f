package org.pgstaging.config;

/**
 * A known staging option: its name, how it is checked, whether a staging section must have it,
 * and its default as documented in pgstaging.ini(5) (the text a user reads, e.g. {@code 2} or
 * {@code the section name before its first dot}); {@link Section}'s accessors implement it.
 */
record OptionSpec(String name, OptionType type, boolean required, String documentedDefault) {}
