package org.pgstaging.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pgstaging.catalog.DataBlocks;

/** Which blocks one pg_restore loads together. */
class LoadUnitTest {
    private static DataBlocks.Block table(int id, long offset, long end) {
        return new DataBlocks.Block(id, "TABLE DATA", "app.t" + id, offset, end, id - 100);
    }

    @Test
    void smallNeighboursInTheFileShareOneLoadAndAGapOrABigBlockSplitsThem() {
        long mb = 1L << 20;
        List<DataBlocks.Block> largestFirst = List.of(
                table(101, 0, 5 * mb),                           // big: alone
                table(102, 5 * mb, 5 * mb + 100),
                table(103, 5 * mb + 100, 5 * mb + 300),
                table(104, 5 * mb + 300, 5 * mb + 400),
                // 105 (5 MB + 400 to 5 MB + 900) is left out: a gap
                table(106, 5 * mb + 900, 5 * mb + 1000),
                new DataBlocks.Block(107, "BLOBS", "BLOBS", 5 * mb + 1000, 5 * mb + 1100, -1));
        List<LoadUnit> units = LoadUnit.of(largestFirst, true);
        assertThat(units).extracting(u -> u.blocks().stream().map(DataBlocks.Block::dumpId).toList())
                .containsExactly(List.of(101), List.of(102, 103, 104), List.of(107), List.of(106));
        assertThat(units.get(1).grouped()).isTrue();
        assertThat(units.get(1).first().offset()).isEqualTo(5 * mb);
        assertThat(units.get(1).last().end()).as("one range, nothing left out inside").isEqualTo(5 * mb + 400);
        assertThat(units.get(1).name()).isEqualTo("3 small tables (app.t102 ... app.t104)");
    }

    @Test
    void aGroupStopsAtItsSizeAndTableCountAndFilesOfADirectoryDumpNeedNoNeighbours() {
        List<DataBlocks.Block> many = new ArrayList<>();
        for (int i = 0; i < 1200; i++) many.add(new DataBlocks.Block(1000 + i, "TABLE DATA", "s.t" + i, 0, 100, -1, i + ".dat"));
        List<LoadUnit> units = LoadUnit.of(many, false);
        assertThat(units).hasSize(3);
        assertThat(units).allMatch(u -> u.blocks().size() <= LoadUnit.GROUP_TABLES);
        assertThat(units.stream().mapToInt(u -> u.blocks().size()).sum()).isEqualTo(1200);

        List<DataBlocks.Block> bulky = new ArrayList<>();
        long size = LoadUnit.SMALL_BYTES - 1;
        for (int i = 0; i < 20; i++) bulky.add(table(200 + i, i * size, (i + 1) * size));
        assertThat(LoadUnit.of(bulky, true)).allMatch(u -> u.length() <= LoadUnit.GROUP_BYTES).hasSize(3);
    }
}
