package org.pgstaging.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.testkit.SourceDump;

/** What must wait for given entries: their dependents, direct or not. */
class DependentsTest {

    private static CatalogEntry e(int id, String desc, String tag, int... deps) {
        return new CatalogEntry(id, 0, id, desc, "app", tag, "owner", null, deps, -1);
    }

    private static BitSet ids(int... ids) {
        BitSet b = new BitSet();
        for (int i : ids) b.set(i);
        return b;
    }

    @Test
    void theDependentsOfDependentsAreFoundInOnePassAndTheSeedsAreLeftOut(@TempDir Path dir) throws Exception {
        Path toc = dir.resolve("toc.dump");
        Files.write(toc, TestArchiveWriter.archive(14, 1, List.of(
                e(1, "TABLE", "t"),
                e(2, "INDEX", "t_pkey", 1),
                e(3, "COMMENT", "INDEX t_pkey", 2),
                e(4, "FK CONSTRAINT", "u_t_fkey", 2, 5),
                e(6, "COMMENT", "CONSTRAINT u_t_fkey", 4),
                e(7, "INDEX", "t_other", 1),
                e(8, "TRIGGER", "t_touch", 1))));

        assertThat(Dependents.of(toc, ids(2)).stream().boxed().toList()).containsExactly(3, 4, 6);
        assertThat(Dependents.of(toc, ids(2, 7)).stream().boxed().toList()).containsExactly(3, 4, 6);
        assertThat(Dependents.of(toc, ids(8)).isEmpty()).isTrue();
    }

    @Test
    void anEntryWrittenBeforeWhatItNeedsIsFoundAllTheSame(@TempDir Path dir) throws Exception {
        Path toc = dir.resolve("toc.dump");
        Files.write(toc, TestArchiveWriter.archive(14, 1, List.of(
                e(6, "COMMENT", "CONSTRAINT u_t_fkey", 4),
                e(4, "FK CONSTRAINT", "u_t_fkey", 2),
                e(1, "TABLE", "t"),
                e(2, "INDEX", "t_pkey", 1))));

        assertThat(Dependents.of(toc, ids(2)).stream().boxed().toList()).containsExactly(4, 6);
    }

    @Test
    void foreignKeysWaitForTheKeyTheyReferenceInARealDump() {
        Map<String, Integer> byTag = new HashMap<>();
        try (ArchiveTocReader toc = Catalog.read(SourceDump.custom())) {
            while (toc.hasNext()) {
                CatalogEntry e = toc.next();
                byTag.put(e.desc() + " " + e.tag(), e.dumpId());
            }
        }
        int key = byTag.get("CONSTRAINT customers customers_pkey");

        BitSet waiting = Dependents.of(SourceDump.custom(), ids(key));

        assertThat(waiting.get(byTag.get("FK CONSTRAINT invoices invoices_customer_id_fkey"))).isTrue();
        assertThat(waiting.get(byTag.get("FK CONSTRAINT sessions sessions_customer_id_fkey"))).isTrue();
        assertThat(waiting.get(byTag.get("FK CONSTRAINT payment_log payment_log_invoice_id_fkey")))
                .as("a key of another table").isFalse();
        assertThat(waiting.get(key)).isFalse();
    }
}
