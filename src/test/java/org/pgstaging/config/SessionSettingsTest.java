package org.pgstaging.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionSettingsTest {

    @Test
    void parsesNameValuePairsInOrderWithLowercaseNames() {
        SessionSettings s = SessionSettings.parse(" Maintenance_Work_Mem = 2GB ,synchronous_commit=off,\n  pg_stat_statements.track=none ");
        assertThat(s.values()).containsExactly(Map.entry("maintenance_work_mem", "2GB"),
                Map.entry("synchronous_commit", "off"), Map.entry("pg_stat_statements.track", "none"));
        assertThat(s.explicit()).isTrue();
        assertThat(s.pgOptions()).isEqualTo("-c maintenance_work_mem=2GB -c synchronous_commit=off -c pg_stat_statements.track=none");
        assertThat(s).hasToString("maintenance_work_mem = 2GB, synchronous_commit = off, pg_stat_statements.track = none");
    }

    @Test
    void blankOrNoneMeansTheServersOwnSettings() {
        assertThat(SessionSettings.parse("  ").isEmpty()).isTrue();
        assertThat(SessionSettings.parse("None").isEmpty()).isTrue();
        assertThat(SessionSettings.parse("none").pgOptions()).isEmpty();
    }

    @Test
    void sectionDefaultIsTheBulkLoadAdviceAndNotExplicit() {
        Section s = new Section("foodb.dev", Map.of());
        assertThat(s.restoreSettings()).isEqualTo(SessionSettings.DEFAULTS);
        assertThat(s.restoreSettings().explicit()).isFalse();
        assertThat(s.restoreSettings().values()).containsEntry("maintenance_work_mem", "1GB").containsEntry("synchronous_commit", "off");
        assertThat(s.with("restore_settings", "").restoreSettings().isEmpty()).isTrue();
        assertThat(s.with("restore_settings", "work_mem=8MB").restoreSettings().values()).containsExactly(Map.entry("work_mem", "8MB"));
    }

    @Test
    void refusesWhatPgoptionsWouldSplitOrAServerCouldNotParse() {
        assertThatThrownBy(() -> SessionSettings.parse("maintenance_work_mem 1GB")).hasMessageContaining("has no '='");
        assertThatThrownBy(() -> SessionSettings.parse("work_mem=1 GB")).hasMessageContaining("the value of work_mem ('1 GB')");
        assertThatThrownBy(() -> SessionSettings.parse("work_mem='1GB'")).hasMessageContaining("the value of work_mem");
        assertThatThrownBy(() -> SessionSettings.parse("work_mem=")).hasMessageContaining("is empty");
        assertThatThrownBy(() -> SessionSettings.parse("-c x=1")).hasMessageContaining("'-c x' is not a setting name");
        assertThatThrownBy(() -> SessionSettings.parse("work_mem=1MB, WORK_MEM=2MB")).hasMessageContaining("work_mem is set twice");
    }
}
