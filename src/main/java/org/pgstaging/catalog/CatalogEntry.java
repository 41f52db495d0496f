package org.pgstaging.catalog;

import java.util.Arrays;

/**
 * One entry of a dump's table of contents, as {@code pg_restore -l} lists it.
 *
 * @param dumpId       the entry's id, the number {@code pg_restore -L} selects on
 * @param catalogOid   OID of the system catalog the object lives in (pg_class is 1259), 0 when none
 * @param objectOid    the object's OID in the source database, 0 when none
 * @param desc         entry type, e.g. {@code TABLE}, {@code TABLE DATA}, {@code TRIGGER}
 * @param namespace    schema name, null when the entry has none (SCHEMA, EXTENSION, COMMENT on a schema...)
 * @param tag          object name as pg_dump tags it; for a trigger "table trigger", for a comment "TABLE name"
 * @param owner        owning role, empty when none
 * @param defn         the entry's SQL definition; only kept for the entry types the filter reads
 *                     (TRIGGER, EXTENSION, FK CONSTRAINT) and null when the entry came from {@code pg_restore -l} text
 * @param dependencies dumpIds this entry depends on; empty when read from text
 * @param dataOffset   where the entry's data block starts in a custom-format file, -1 when it has none
 *                     or the dump does not say (written to a pipe, or not a custom-format file)
 * @param dataFile     the file holding the entry's data in a directory-format dump, as its toc.dat names
 *                     it ({@code 1234.dat}, {@code blobs.toc}; pg_dump adds {@code .gz}, {@code .lz4} or
 *                     {@code .zst} on disk when it compresses), null when it has none or in other formats
 */
public record CatalogEntry(int dumpId, long catalogOid, long objectOid, String desc, String namespace,
                           String tag, String owner, String defn, int[] dependencies, long dataOffset,
                           String dataFile) {

    private static final int[] NONE = new int[0];

    public CatalogEntry {
        if (desc == null) throw new IllegalArgumentException("desc is required");
        if (tag == null) tag = "";
        if (owner == null) owner = "";
        if (dependencies == null) dependencies = NONE;
        if (dataFile != null && dataFile.isEmpty()) dataFile = null;
    }

    /** An entry of a custom-format file (or of a listing): no data file. */
    public CatalogEntry(int dumpId, long catalogOid, long objectOid, String desc, String namespace,
                        String tag, String owner, String defn, int[] dependencies, long dataOffset) {
        this(dumpId, catalogOid, objectOid, desc, namespace, tag, owner, defn, dependencies, dataOffset, null);
    }

    /** An entry whose data offset is unknown. */
    public CatalogEntry(int dumpId, long catalogOid, long objectOid, String desc, String namespace,
                        String tag, String owner, String defn, int[] dependencies) {
        this(dumpId, catalogOid, objectOid, desc, namespace, tag, owner, defn, dependencies, -1);
    }

    /** An entry without definition or dependencies, as read from {@code pg_restore -l} text. */
    public static CatalogEntry of(int dumpId, long catalogOid, long objectOid, String desc, String namespace,
                                  String tag, String owner) {
        return new CatalogEntry(dumpId, catalogOid, objectOid, desc, namespace, tag, owner, null, NONE);
    }

    public boolean is(String entryDesc) {
        return desc.equals(entryDesc);
    }

    public boolean dependsOn(int otherDumpId) {
        for (int d : dependencies) {
            if (d == otherDumpId) return true;
        }
        return false;
    }

    /**
     * Whether {@code pg_restore -l} lists this entry. It leaves out the settings it always applies (ENCODING,
     * STDSTRINGS, SEARCHPATH) and what only {@code pg_restore -C} restores (DATABASE, DATABASE PROPERTIES and
     * comments, labels and ACLs on the database).
     */
    public boolean isListed() {
        return switch (desc) {
            case "ENCODING", "STDSTRINGS", "SEARCHPATH", "DATABASE", "DATABASE PROPERTIES" -> false;
            case "COMMENT", "ACL", "SECURITY LABEL" -> !tag.startsWith("DATABASE ");
            default -> true;
        };
    }

    /** {@code schema.tag}, or just the tag when the entry has no schema. */
    public String qualifiedName() {
        return namespace == null ? tag : namespace + "." + tag;
    }

    /**
     * The entry as a {@code pg_restore -l} line: {@code dumpId; catalogOid objectOid DESC NAMESPACE TAG OWNER}.
     * Line breaks inside names become spaces, as pg_restore does, so a crafted name cannot inject list lines.
     */
    public String toListLine() {
        return dumpId + "; " + catalogOid + " " + objectOid + " " + oneLine(desc) + " "
                + (namespace == null ? "-" : oneLine(namespace)) + " " + oneLine(tag) + " " + oneLine(owner);
    }

    private static String oneLine(String s) {
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace('\n', ' ').replace('\r', ' ');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CatalogEntry e && dumpId == e.dumpId && catalogOid == e.catalogOid
                && objectOid == e.objectOid && desc.equals(e.desc) && java.util.Objects.equals(namespace, e.namespace)
                && tag.equals(e.tag) && owner.equals(e.owner) && java.util.Objects.equals(defn, e.defn)
                && Arrays.equals(dependencies, e.dependencies) && dataOffset == e.dataOffset
                && java.util.Objects.equals(dataFile, e.dataFile);
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(dumpId) * 31 + tag.hashCode();
    }

    @Override
    public String toString() {
        return toListLine();
    }
}
