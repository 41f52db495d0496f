package org.pgstaging.catalog;

import java.nio.file.Path;
import java.util.BitSet;

/** The entries of a catalog that need others: what must wait until those are restored. */
public final class Dependents {
    private Dependents() {}

    /**
     * The dump ids of the entries of {@code archive}'s catalog that depend on an entry of
     * {@code ids}, directly or through other entries ({@code ids} themselves left out). Streams the
     * catalog, keeping nothing but the answer: pg_dump writes it in dependency order, each entry
     * after what it needs (a plain pg_restore runs it in that order), so one pass finds them all;
     * a second one checks it, and passes go on while one still finds more.
     */
    public static BitSet of(Path archive, BitSet ids) {
        BitSet needing = (BitSet) ids.clone();
        while (pass(archive, needing)) {
            // an entry before what it needs: read again
        }
        needing.andNot(ids);
        return needing;
    }

    /** Adds to {@code needing} the entries that need one of it; whether it found any. */
    private static boolean pass(Path archive, BitSet needing) {
        boolean found = false;
        try (ArchiveTocReader toc = Catalog.read(archive)) {
            while (toc.hasNext()) {
                CatalogEntry e = toc.next();
                if (needing.get(e.dumpId())) continue;
                for (int d : e.dependencies()) {
                    if (needing.get(d)) {
                        needing.set(e.dumpId());
                        found = true;
                        break;
                    }
                }
            }
        }
        return found;
    }
}
