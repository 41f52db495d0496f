package org.pgstaging.catalog;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Reads the table of contents of a pg_dump archive straight from its bytes, without pg_restore.
 *
 * <p>The archive's own catalog is exact where {@code pg_restore -l} is not: names there are unquoted and
 * a schema {@code Sales Data} with a table {@code Order "Items"} cannot be told apart from other splits.
 * The TOC sits at the start of a custom-format file (and is the whole of a directory dump's toc.dat),
 * so reading stops after it and works on just the first bytes of a dump, e.g. while it downloads.
 * It reads ahead of the catalog's end by up to one 64 KB buffer: the stream is not left right after it.
 *
 * <p>Layout, per PostgreSQL's pg_backup_archiver.c (ReadHead, ReadToc): magic {@code PGDMP}, version bytes,
 * int and offset sizes, format byte, compression, creation time, names and versions, then the entry count
 * and the entries. Integers are a sign byte then {@code intSize} bytes little-endian; strings an integer
 * length (-1 for null) then the bytes.
 */
public final class ArchiveTocReader implements CatalogSource {
    private static final byte[] MAGIC = "PGDMP".getBytes(StandardCharsets.US_ASCII);
    /** pg_dump never writes strings this long in a catalog; a larger length means corrupt bytes. */
    private static final int MAX_STRING = 1 << 30;

    private final ArchiveInput in;
    private final String name;
    private final ArchiveHeader header;
    /** The data state of an entry whose data offset is recorded (pg_dump's K_OFFSET_POS_SET). */
    private static final int OFFSET_SET = 2;
    /** An entry with data whose offset the dump does not record (written to a pipe). */
    private static final int OFFSET_NOT_SET = 1;
    private int entriesWithoutOffset;
    private NameDecoding decoding = NameDecoding.of(StandardCharsets.UTF_8);
    private int read;

    private ArchiveTocReader(ArchiveInput in, String name, ArchiveHeader header) {
        this.in = in;
        this.name = name;
        this.header = header;
    }

    /**
     * Opens an archive stream positioned at its first byte: a custom-format dump, a directory dump's
     * toc.dat, or a tar-format dump (whose first member is toc.dat). Reads the header at once.
     *
     * @param name where the bytes come from, used in messages (a path or URL)
     * @throws CatalogException when the bytes are not a pg_dump archive, or of an unsupported version
     */
    public static ArchiveTocReader open(InputStream stream, String name) {
        ArchiveInput in = new ArchiveInput(stream, 65536);
        try {
            byte[] start = in.peek(512);
            boolean inTar = false;
            if (isTarTocMember(start)) {
                inTar = true;
                in.skip(512); // the member's content starts right after its header
            } else if (!startsWith(start, MAGIC)) {
                throw notAnArchive(name, start);
            }
            ArchiveTocReader reader = new ArchiveTocReader(in, name, null);
            return new ArchiveTocReader(in, name, reader.readHeader(inTar));
        } catch (EOFException e) {
            throw new CatalogException(name + ": ends inside the archive header",
                    "the file is truncated; download the dump again", e);
        } catch (IOException e) {
            throw new CatalogException(name + ": cannot read: " + e.getMessage(),
                    "check that the dump is readable", e);
        }
    }

    @Override
    public Optional<ArchiveHeader> header() {
        return Optional.of(header);
    }

    /** The archive header; never null. */
    public ArchiveHeader archiveHeader() {
        return header;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean hasNext() {
        return read < header.entryCount();
    }

    @Override
    public CatalogEntry next() {
        if (!hasNext()) throw new NoSuchElementException();
        try {
            CatalogEntry e = readEntry();
            read++;
            return e;
        } catch (EOFException e) {
            throw new CatalogException(name + ": the archive ends inside its catalog, at entry " + (read + 1)
                    + " of " + header.entryCount(), "the dump is truncated; download it again", e);
        } catch (IOException e) {
            throw new CatalogException(name + ": cannot read catalog entry " + (read + 1) + ": " + e.getMessage(),
                    "check that the dump is readable", e);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing was written; a failed close of a read-only stream loses nothing
        }
    }

    private ArchiveHeader readHeader(boolean inTar) throws IOException {
        in.skip(MAGIC.length);
        int vmaj = readByte();
        int vmin = readByte();
        int vrev = readByte();
        String version = vmaj + "." + vmin + "." + vrev;
        if (vmaj != 1 || vmin < 12 || vmin > 16) {
            throw new UnsupportedArchiveVersionException(name, version);
        }
        int intSize = readByte();
        int offSize = readByte();
        if (intSize < 1 || intSize > 8 || offSize < 1 || offSize > 16) {
            throw corrupt("integer size " + intSize + " / offset size " + offSize + " in the header");
        }
        int formatCode = readByte();
        ArchiveHeader.Format format = ArchiveHeader.Format.ofCode(formatCode);
        if (format == ArchiveHeader.Format.TAR && !inTar) {
            format = ArchiveHeader.Format.DIRECTORY; // a directory dump's toc.dat carries the tar format code
        }
        if (format == null) {
            throw corrupt("unknown archive format code " + formatCode);
        }
        ArchiveHeader partial = new ArchiveHeader(vmaj, vmin, vrev, intSize, offSize, format,
                null, null, null, null, 0);
        String compression;
        if (partial.atLeast(1, 15)) {
            compression = compressionName(readByte());
        } else {
            int level = (int) readInt(intSize);
            compression = level == 0 ? "none" : level < 0 ? "gzip" : "gzip level " + level;
        }
        for (int i = 0; i < 7; i++) {
            readInt(intSize); // creation time: sec, min, hour, mday, mon, year, isdst
        }
        String dbname = readStr(intSize);
        String serverVersion = readStr(intSize);
        String dumpVersion = readStr(intSize);
        long count = readInt(intSize);
        if (count < 0 || count > Integer.MAX_VALUE) {
            throw corrupt("entry count " + count);
        }
        return new ArchiveHeader(vmaj, vmin, vrev, intSize, offSize, format, compression, dbname,
                serverVersion, dumpVersion, (int) count);
    }

    private CatalogEntry readEntry() throws IOException {
        int is = header.intSize();
        long dumpId = readInt(is);
        if (dumpId <= 0 || dumpId > Integer.MAX_VALUE) {
            throw corrupt("entry " + (read + 1) + " has dump id " + dumpId);
        }
        readInt(is); // hadDumper
        long catalogOid = parseOid(readStr(is));
        long objectOid = parseOid(readStr(is));
        String tag = readStr(is);
        String desc = readStr(is);
        if (desc == null) {
            throw corrupt("entry " + dumpId + " has no type");
        }
        readInt(is); // section
        // only the definitions the filter reads are decoded; the rest is skipped unread
        boolean wantDefn = desc.equals("TRIGGER") || desc.equals("EXTENSION") || desc.equals("ENCODING")
                || desc.equals("FK CONSTRAINT");
        String defn = wantDefn ? readStr(is) : skipStr(is);
        skipStr(is); // dropStmt
        skipStr(is); // copyStmt
        String namespace = readStr(is);
        skipStr(is); // tablespace
        if (header.atLeast(1, 14)) skipStr(is); // table access method
        if (header.atLeast(1, 16)) readInt(is); // relkind
        String owner = readStr(is);
        skipStr(is); // "false": tables WITH OIDS
        int[] deps = readDependencies(is);
        long dataOffset = -1;
        String dataFile = null;
        if (header.format() == ArchiveHeader.Format.CUSTOM) {
            int flag = readByte(); // data state: 1 not set, 2 set, 3 no data
            if (flag < 1 || flag > 3) throw corrupt("entry " + dumpId + " has data state " + flag);
            long offset = readOffset(header.offSize());
            if (flag == OFFSET_SET) dataOffset = offset;
            if (flag == OFFSET_NOT_SET) entriesWithoutOffset++;
        } else if (header.format() == ArchiveHeader.Format.DIRECTORY) {
            dataFile = readStr(is);
        } else {
            skipStr(is); // the data file name of a tar dump's member
        }
        if (desc.equals("ENCODING") && defn != null) {
            decoding = decodingOf(defn);
        }
        return new CatalogEntry((int) dumpId, catalogOid, objectOid, desc, namespace, tag, owner,
                desc.equals("ENCODING") ? null : defn, deps, dataOffset, dataFile);
    }

    private int[] readDependencies(int is) throws IOException {
        int[] deps = new int[4];
        int n = 0;
        for (String d = readStr(is); d != null; d = readStr(is)) {
            if (n == deps.length) deps = Arrays.copyOf(deps, n * 2);
            try {
                deps[n++] = Integer.parseInt(d);
            } catch (NumberFormatException e) {
                throw corrupt("dependency '" + d + "' is not a dump id");
            }
        }
        return Arrays.copyOf(deps, n);
    }

    /** pg_dump's offsets: {@code offSize} bytes, least significant first. */
    private long readOffset(int offSize) throws IOException {
        long v = 0;
        for (int i = 0; i < offSize; i++) {
            long b = readByte();
            if (i < 8) v |= b << (8 * i);
        }
        return v;
    }

    /**
     * Where the data blocks start: the stream position once every catalog entry has been read (of
     * a custom-format file, or a tar member's toc.dat). Only meaningful when {@link #hasNext()} is false.
     */
    public long catalogEnd() {
        return in.position();
    }

    /** Entries read so far that have data but no recorded offset (a dump written to a pipe has only those). */
    public int entriesWithoutOffset() {
        return entriesWithoutOffset;
    }

    private int readByte() throws IOException {
        return in.readByte();
    }

    private long readInt(int intSize) throws IOException {
        int sign = readByte();
        long v = 0;
        for (int i = 0; i < intSize; i++) {
            v |= (long) readByte() << (8 * i);
        }
        return sign == 0 ? v : -v;
    }

    private int readLength(int intSize) throws IOException {
        long len = readInt(intSize);
        if (len < -1 || len > MAX_STRING) throw corrupt("string length " + len);
        return (int) len;
    }

    private String readStr(int intSize) throws IOException {
        int len = readLength(intSize);
        if (len < 0) return null;
        return in.readString(len, decoding);
    }

    /** Skips a string; returns null so callers can use it where a value is not wanted. */
    private String skipStr(int intSize) throws IOException {
        int len = readLength(intSize);
        if (len > 0) in.skip(len);
        return null;
    }

    private static long parseOid(String s) {
        if (s == null || s.isEmpty()) return 0;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private CatalogException corrupt(String what) {
        return new CatalogException(name + ": corrupt archive catalog: " + what,
                "the dump is damaged or not made by pg_dump; make a new one with pg_dump -Fc");
    }

    private static String compressionName(int algorithm) {
        return switch (algorithm) {
            case 0 -> "none";
            case 1 -> "gzip";
            case 2 -> "lz4";
            case 3 -> "zstd";
            default -> "unknown (" + algorithm + ")";
        };
    }

    /** How names are read: the dump's client_encoding, SQL_ASCII as the bytes stored ({@link NameDecoding}). */
    static NameDecoding decodingOf(String encodingDefn) {
        return isSqlAscii(encodingDefn) ? NameDecoding.storedBytes() : NameDecoding.of(charsetOf(encodingDefn));
    }

    private static boolean isSqlAscii(String encodingDefn) {
        return encodingDefn.toUpperCase(Locale.ROOT).contains("'SQL_ASCII'");
    }

    /** Java charset for the dump's client_encoding, so non-UTF-8 databases' names decode right. */
    static Charset charsetOf(String encodingDefn) {
        int q1 = encodingDefn.indexOf('\'');
        int q2 = q1 < 0 ? -1 : encodingDefn.indexOf('\'', q1 + 1);
        if (q2 < 0) return StandardCharsets.UTF_8;
        String pg = encodingDefn.substring(q1 + 1, q2).toUpperCase(Locale.ROOT);
        String java = switch (pg) {
            case "UTF8", "UNICODE" -> "UTF-8";
            case "LATIN1" -> "ISO-8859-1";
            case "LATIN2" -> "ISO-8859-2";
            case "LATIN9" -> "ISO-8859-15";
            case "WIN1250" -> "windows-1250";
            case "WIN1251" -> "windows-1251";
            case "WIN1252" -> "windows-1252";
            case "KOI8R" -> "KOI8-R";
            case "EUC_JP" -> "EUC-JP";
            case "SJIS" -> "Shift_JIS";
            default -> "UTF-8";
        };
        return Charset.isSupported(java) ? Charset.forName(java) : StandardCharsets.UTF_8;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** A tar-format dump starts with a ustar header for its member toc.dat. */
    private static boolean isTarTocMember(byte[] block) {
        if (block.length < 512) return false;
        byte[] ustar = "ustar".getBytes(StandardCharsets.US_ASCII);
        byte[] toc = "toc.dat\0".getBytes(StandardCharsets.US_ASCII);
        return Arrays.equals(block, 257, 262, ustar, 0, 5) && Arrays.equals(block, 0, toc.length, toc, 0, toc.length);
    }

    private static CatalogException notAnArchive(String name, byte[] start) {
        String text = new String(start, 0, Math.min(start.length, 200), StandardCharsets.ISO_8859_1);
        if (start.length == 0) {
            return new CatalogException(name + ": is empty, not a pg_dump archive",
                    "download the dump again");
        }
        if (start.length >= 2 && (start[0] & 0xff) == 0x1f && (start[1] & 0xff) == 0x8b) {
            return new CatalogException(name + ": is gzip-compressed, not a pg_dump archive",
                    "a compressed plain SQL dump has no catalog to filter; make the dump with pg_dump -Fc");
        }
        if (text.startsWith("--") || text.startsWith("SET ") || text.contains("PostgreSQL database dump")) {
            return new CatalogException(name + ": is a plain SQL dump, not a pg_dump archive",
                    "plain dumps have no catalog to filter; make the dump with pg_dump -Fc (custom) or -Fd (directory)");
        }
        return new CatalogException(name + ": is not a pg_dump archive (no PGDMP magic at its start)",
                "give a dump made with pg_dump -Fc, a -Fd directory (or its toc.dat), or a -Ft tar file");
    }
}
