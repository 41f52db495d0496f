package org.pgstaging.backup;

import java.net.URI;
import java.time.LocalDate;
import java.util.OptionalLong;

/**
 * One dump found in a listing: {@code dbname.YYYY-MM-DD.dump}. {@code size} is exact when the
 * listing gives bytes (nginx, local files) and approximate or absent otherwise (Apache rounds).
 */
public record BackupFile(String dbname, LocalDate date, String fileName, URI location, OptionalLong size) {
}
