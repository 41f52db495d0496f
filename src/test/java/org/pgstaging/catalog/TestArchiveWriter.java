package org.pgstaging.catalog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes archive headers and catalogs in pg_dump's layout for format versions this machine's pg_dump does
 * not produce (1.13, 1.15, 1.16...), so the reader's per-version branches are exercised. Table data is not
 * written: the reader stops after the catalog.
 */
final class TestArchiveWriter {
    private final OutputStream out;
    private final int minor;
    private final int intSize;
    private final int formatCode;
    private Charset charset = StandardCharsets.UTF_8;

    TestArchiveWriter(OutputStream out, int minor, int intSize, int formatCode) {
        this.out = out;
        this.minor = minor;
        this.intSize = intSize;
        this.formatCode = formatCode;
    }

    /** A whole archive catalog in memory. */
    static byte[] archive(int minor, int formatCode, List<CatalogEntry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TestArchiveWriter w = new TestArchiveWriter(bytes, minor, 4, formatCode);
        w.header("testdb", entries.size());
        for (CatalogEntry e : entries) w.entry(e);
        return bytes.toByteArray();
    }

    TestArchiveWriter charset(Charset c) {
        this.charset = c;
        return this;
    }

    void header(String dbname, int count) {
        try {
            out.write("PGDMP".getBytes(StandardCharsets.US_ASCII));
            out.write(1);
            out.write(minor);
            out.write(0);
            out.write(intSize);
            out.write(8);
            out.write(formatCode);
            if (minor >= 15) out.write(0); // compression algorithm: none
            else writeInt(-1);             // compression level: default
            for (int v : new int[] {10, 20, 3, 25, 10, 126, 0}) writeInt(v);
            writeStr(dbname);
            writeStr("17.2");
            writeStr("17.2");
            writeInt(count);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void entry(CatalogEntry e) {
        try {
            writeInt(e.dumpId());
            writeInt(e.is("TABLE DATA") ? 1 : 0);
            writeStr(Long.toString(e.catalogOid()));
            writeStr(Long.toString(e.objectOid()));
            writeStr(e.tag());
            writeStr(e.desc());
            writeInt(e.is("TABLE DATA") ? 3 : 2);
            writeStr(e.defn() != null ? e.defn() : "-- definition of " + e.tag() + "\n");
            writeStr("DROP something;\n");
            writeStr(e.is("TABLE DATA") ? "COPY x FROM stdin;\n" : "");
            writeStr(e.namespace());
            writeStr("");
            if (minor >= 14) writeStr(e.is("TABLE") ? "heap" : null);
            if (minor >= 16) writeInt(e.is("TABLE") ? 'r' : 0);
            writeStr(e.owner());
            writeStr("false");
            for (int d : e.dependencies()) writeStr(Integer.toString(d));
            writeStr(null);
            if (formatCode == 1) {
                out.write(e.is("TABLE DATA") ? 2 : 3);
                for (int i = 0; i < 8; i++) out.write(e.is("TABLE DATA") ? (i == 0 ? 0x40 : 0) : 0);
            } else {
                writeStr(e.is("TABLE DATA") ? e.dumpId() + ".dat" : "");
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void writeInt(long v) throws IOException {
        out.write(v < 0 ? 1 : 0);
        long abs = Math.abs(v);
        for (int i = 0; i < intSize; i++) out.write((int) (abs >>> (8 * i)) & 0xff);
    }

    private void writeStr(String s) throws IOException {
        if (s == null) {
            writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(charset);
        writeInt(b.length);
        out.write(b);
    }
}
