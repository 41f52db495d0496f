package org.pgstaging.backup;

import java.net.URI;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one naming rule of published dumps: {@code dbname.YYYY-MM-DD.dump}. The dbname is matched
 * literally (so {@code foo.db} never matches {@code fooXdb}) and the date must exist in the calendar;
 * anything else in a listing (other databases, checksums, sub-directories, sort links) is ignored.
 */
public final class DumpName {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);

    private DumpName() { }

    /** {@code dbname.YYYY-MM-DD.dump}, after checking dbname can be used in a file name and a URL path. */
    public static String fileName(String dbname, LocalDate date) {
        return checkDbname(dbname) + "." + date.format(DATE) + ".dump";
    }

    /** The date of {@code fileName} when it is exactly {@code dbname.YYYY-MM-DD.dump} with a real date. */
    public static Optional<LocalDate> dateOf(String dbname, String fileName) {
        Matcher m = pattern(dbname).matcher(fileName);
        if (!m.matches()) return Optional.empty();
        try {
            return Optional.of(LocalDate.parse(m.group(1), DATE));
        } catch (DateTimeException notADay) {
            return Optional.empty();
        }
    }

    /**
     * The date in the name of a dump file someone gives ({@code load}): {@code NAME.YYYY-MM-DD.dump}
     * as published, or {@code NAME.YYYYMMDD.dump} as {@link #ofCopy} names pgstaging's own dumps of
     * a copy; throws saying so otherwise.
     */
    public static LocalDate dateOfFile(String fileName) {
        Matcher m = ANY.matcher(fileName);
        if (m.matches()) {
            try {
                return m.group(2).length() == 8 ? LocalDate.parse(m.group(2), java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                        : LocalDate.parse(m.group(2), DATE);
            } catch (DateTimeException notADay) {
                // fall through
            }
        }
        throw new org.pgstaging.PgStagingException("'" + fileName + "' is not a dump file name",
                "dump files are named dbname.YYYY-MM-DD.dump (or dbname.YYYYMMDD.dump, as pgstaging dump names them)");
    }

    /**
     * {@code dbname.YYYYMMDD.dump}: pgstaging's dump of a dated copy (pg_staging's name), which a
     * listing never takes for a published dump while {@link #dateOfFile} still reads it.
     */
    public static String ofCopy(String dbname, LocalDate date) {
        return checkDbname(dbname) + "." + date.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE) + ".dump";
    }

    private static final Pattern ANY = Pattern.compile("(.+)\\.(\\d{4}-\\d{2}-\\d{2}|\\d{8})\\.dump");

    /**
     * The dumps of {@code dbname} among listing entries, oldest first.
     *
     * @param locate where the named file can be fetched from
     */
    public static List<BackupFile> select(String dbname, List<ListingEntry> entries, Function<String, URI> locate) {
        checkDbname(dbname);
        List<BackupFile> found = new ArrayList<>();
        for (ListingEntry e : entries) {
            // a directory named like a dump is a directory-format dump (pg_dump -Fd): toc.dat and data files
            dateOf(dbname, e.name()).ifPresent(d -> found.add(e.directory()
                    ? new BackupFile(dbname, d, e.name(), directoryUri(locate.apply(e.name())), OptionalLong.empty(),
                            BackupFile.Kind.DIRECTORY)
                    : new BackupFile(dbname, d, e.name(), locate.apply(e.name()), e.size())));
        }
        found.sort(Comparator.comparing(BackupFile::date));
        return List.copyOf(found);
    }

    private static URI directoryUri(URI u) {
        String s = u.toString();
        return s.endsWith("/") ? u : URI.create(s + "/");
    }

    /** Rejects names that would escape the backup directory or break the URL before any request is made. */
    public static String checkDbname(String dbname) {
        String why = null;
        if (dbname == null || dbname.isBlank()) why = "it is empty";
        else if (dbname.contains("/") || dbname.contains("\\")) why = "it contains a path separator";
        else if (dbname.equals(".") || dbname.equals("..")) why = "it is a relative directory name";
        else if (dbname.chars().anyMatch(Character::isISOControl)) why = "it contains control characters";
        if (why != null) {
            throw new BackupException("invalid database name '" + dbname + "' for a dump file name: " + why,
                    "use the database name the dumps are published under, as in dbname.YYYY-MM-DD.dump");
        }
        return dbname;
    }

    private static Pattern pattern(String dbname) {
        return Pattern.compile(Pattern.quote(checkDbname(dbname)) + "\\.(\\d{4}-\\d{2}-\\d{2})\\.dump");
    }
}
