package org.pgstaging.backup;

import java.util.OptionalLong;

/**
 * One line of a directory listing, whatever its format.
 *
 * @param name      the file name, URL-decoded (never the display text, which servers truncate)
 * @param directory true for sub-directories and parent links
 * @param size      bytes; exact from nginx, JSON and local files; an approximation from Apache's
 *                  rounded {@code 1.0M}/{@code 104M} (exact only below 1 KB); empty when not listed
 */
public record ListingEntry(String name, boolean directory, OptionalLong size) {
}
