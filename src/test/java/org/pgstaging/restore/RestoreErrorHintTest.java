package org.pgstaging.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreErrorHintTest {
    @Test
    void aPoolerRefusingTheSessionSettingsIsNamed() {
        assertThat(RestorePipeline.hintForRestoreError(List.of(
                "pg_restore: error: connection to server at \"127.0.0.1\", port 6432 failed: FATAL:  unsupported startup parameter: options")))
                .contains("postgres_port must reach PostgreSQL itself").contains("restore_settings = none");
    }

    @Test
    void missingRolesPointAtTheGlobalsAndAnythingElseAtTheOutput() {
        assertThat(RestorePipeline.hintForRestoreError(List.of("pg_restore: error: role \"app\" does not exist")))
                .contains("pgstaging init SECTION");
        assertThat(RestorePipeline.hintForRestoreError(List.of("pg_restore: error: something else")))
                .contains("rerun with -v");
    }
}
