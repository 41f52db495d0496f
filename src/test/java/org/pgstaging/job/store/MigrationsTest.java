package org.pgstaging.job.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The newest version each store knows without asking Flyway is the newest migration file shipped. */
class MigrationsTest {

    @Test
    void theNewestVersionOfEachStoreIsItsNewestMigrationFile() throws Exception {
        for (Migrations m : List.of(Migrations.JOBS, Migrations.CHANGES)) {
            URL dir = Migrations.class.getClassLoader().getResource(m.location());
            assertThat(dir).as(m.location()).isNotNull();
            int newest;
            try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
                newest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V[0-9]+__.*\\.sql"))
                        .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElse(0);
            }
            assertThat(m.newest).as("Migrations.newest of " + m.location() + ": raise it with each new file").isEqualTo(newest);
        }
    }
}
