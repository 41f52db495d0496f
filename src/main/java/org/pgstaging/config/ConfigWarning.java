package org.pgstaging.config;

/**
 * TEMPORARY PLACEHOLDER from the cli branch so the command line compiles; the config helper's
 * real {@code ConfigWarning} replaces this file at merge. Only {@link #message()} is relied on.
 */
public record ConfigWarning(String message) {
}
