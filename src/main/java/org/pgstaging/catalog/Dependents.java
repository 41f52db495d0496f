package org.pgstaging.catalog;

import java.nio.file.Path;
import java.util.BitSet;

/** The entries of a catalog that need others: what must wait until those are restored. */
public final class Dependents {
    private Dependents() {}

    /**
     * The dump ids of the entries of {@code archive}'s catalog that depend on an entry of
     * {@code ids}, directly or through other entries ({@code ids} themselves left out). One pass,
     * nothing kept but the answer: pg_dump writes its catalog in dependency order, each entry after
     * what it needs, which is also how a plain pg_restore runs it.
     */
    public static BitSet of(Path archive, BitSet ids) {
        BitSet needing = (BitSet) ids.clone();
        try (ArchiveTocReader toc = Catalog.read(archive)) {
            while (toc.hasNext()) {
                CatalogEntry e = toc.next();
                if (needing.get(e.dumpId())) continue;
                for (int d : e.dependencies()) {
                    if (needing.get(d)) {
                        needing.set(e.dumpId());
                        break;
                    }
                }
            }
        }
        needing.andNot(ids);
        return needing;
    }
}
