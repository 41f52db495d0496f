package org.pgstaging.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemorySizeTest {
    @Test
    void sizesWithPostgresUnits() {
        assertThat(MemorySize.bytes("1GB")).isEqualTo(1L << 30);
        assertThat(MemorySize.bytes("256MB")).isEqualTo(256L << 20);
        assertThat(MemorySize.bytes(" 64 kB ")).isEqualTo(64L << 10);
        assertThat(MemorySize.bytes("2TB")).isEqualTo(2L << 40);
        assertThat(MemorySize.bytes("1gb")).as("units are case-sensitive in PostgreSQL").isEqualTo(-1);
        assertThat(MemorySize.bytes("65536")).as("a bare number is in the setting's own unit").isEqualTo(-1);
        assertThat(MemorySize.bytes("off")).isEqualTo(-1);
    }

    @Test
    void unitsOfPgSettings() {
        assertThat(MemorySize.unitBytes("kB")).isEqualTo(1024);
        assertThat(MemorySize.unitBytes("8kB")).isEqualTo(8192);
        assertThat(MemorySize.unitBytes("16MB")).isEqualTo(16L << 20);
        assertThat(MemorySize.unitBytes("B")).isEqualTo(1);
        assertThat(MemorySize.unitBytes("ms")).isEqualTo(-1);
        assertThat(MemorySize.unitBytes(null)).isEqualTo(-1);
    }
}
