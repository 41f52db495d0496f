package org.pgstaging.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.job.Verb.Face;

/** The command model both faces parse with, without a face: words in, a checked call or a usage error out. */
class VerbTest {

    private static VerbCall chat(String line) {
        return Verb.parse(Arrays.asList(line.trim().split("\\s+")), Face.CHAT, "/pgstaging");
    }

    private static VerbCall console(String line) {
        return Verb.parse(Arrays.asList(line.trim().split("\\s+")), Face.CONSOLE, "pgstaging");
    }

    @Test
    void argumentsArePlacedAndDatesDefaultAsTheEngineDoes() {
        VerbCall restore = chat("restore foodb.dev");
        assertThat(restore.verb()).isEqualTo(Verb.RESTORE);
        assertThat(restore.section()).isEqualTo("foodb.dev");
        assertThat(restore.date()).isNull();
        assertThat(restore.dateOrDefault()).isEqualTo(DateSpec.today());
        assertThat(chat("restore foodb.dev 20261124").date()).isEqualTo(DateSpec.parse("2026-11-24"));
        assertThat(chat("switch foodb.dev").dateOrDefault()).isEqualTo(DateSpec.latest());
        assertThat(chat("drop foodb.dev").dateOrDefault()).isEqualTo(DateSpec.oldest());
        assertThat(chat("vacuumdb foodb.dev").dateOrDefault()).as("the active copy").isNull();
        assertThat(chat("catalog foodb.dev").dateOrDefault()).isEqualTo(DateSpec.latest());
    }

    @Test
    void optionalArgumentsArePlacedByWhatTheyLookLike() {
        VerbCall show = chat("show foodb.dev work_mem");
        assertThat(show.date()).isNull();
        assertThat(show.value("SETTING")).isEqualTo("work_mem");
        VerbCall dated = chat("show foodb.dev latest work_mem");
        assertThat(dated.date()).isEqualTo(DateSpec.latest());
        assertThat(dated.value("SETTING")).isEqualTo("work_mem");

        assertThat(chat("history 50").count()).as("a number is N, not a section").isEqualTo(50);
        assertThat(chat("history 50").section()).isNull();
        assertThat(chat("history foodb.dev").section()).isEqualTo("foodb.dev");
        VerbCall both = console("history foodb.dev 5");
        assertThat(both.section()).isEqualTo("foodb.dev");
        assertThat(both.count()).isEqualTo(5);

        assertThat(chat("dbsizes").sections()).isEmpty();
        assertThat(chat("dbsizes foodb.dev barfoo.dev").sections()).containsExactly("foodb.dev", "barfoo.dev");
        assertThat(chat("backups foodb.dev LATEST").value("WHICH")).isEqualTo("latest");
    }

    @Test
    void badArgumentsAreRefusedWithTheUsage() {
        assertThatThrownBy(() -> chat("restore")).isInstanceOf(VerbUsageException.class)
                .hasMessage("restore: missing SECTION")
                .extracting(e -> ((VerbUsageException) e).hint()).isEqualTo("usage: /pgstaging restore SECTION [DATE]");
        assertThatThrownBy(() -> chat("purge foodb.dev 2026-11-24")).hasMessage("purge: unexpected argument '2026-11-24'");
        assertThatThrownBy(() -> console("load foodb.dev")).hasMessage("load: missing FILE");
        assertThatThrownBy(() -> chat("restore foodb.dev 2026-02-30")).isInstanceOf(VerbUsageException.class)
                .extracting(e -> ((VerbUsageException) e).hint()).asString().contains("usage: /pgstaging restore SECTION [DATE]");
        assertThatThrownBy(() -> chat("drop foodb.dev yesterday")).isInstanceOf(VerbUsageException.class)
                .hasMessageContaining("yesterday");
        assertThatThrownBy(() -> chat("history 0")).hasMessageContaining("not a number from 1 to 1000");
        assertThatThrownBy(() -> chat("history 5000")).hasMessageContaining("not a number from 1 to 1000");
        assertThatThrownBy(() -> chat("show foodb.dev work_mem;drop")).hasMessageContaining("invalid setting name");
        assertThatThrownBy(() -> chat("backups foodb.dev lastest")).hasMessage("invalid selection 'lastest'")
                .extracting(e -> ((VerbUsageException) e).hint()).asString()
                .startsWith("did you mean 'latest'? use one of: remote, local, oldest, latest");
        assertThatThrownBy(() -> console("start nginx foodb.dev")).hasMessage("invalid service 'nginx'");
    }

    @Test
    void unknownVerbsSuggestTheNearestAndFacesKeepTheirOwn() {
        assertThatThrownBy(() -> chat("restor foodb.dev")).isInstanceOf(VerbUsageException.class)
                .hasMessage("unknown command 'restor'")
                .extracting(e -> ((VerbUsageException) e).hint()).asString()
                .startsWith("did you mean `/pgstaging restore SECTION [DATE]`?").endsWith("`/pgstaging help` lists the commands");
        assertThatThrownBy(() -> console("restor foodb.dev")).extracting(e -> ((VerbUsageException) e).hint()).asString()
                .startsWith("did you mean 'pgstaging restore SECTION [DATE]'").contains("'pgstaging help' lists the commands");
        assertThatThrownBy(() -> chat("load foodb.dev /tmp/x.dump")).hasMessage("'load' is not offered in chat")
                .extracting(e -> ((VerbUsageException) e).hint()).asString().contains("pgstaging load SECTION FILE");
        assertThat(console("queue foodb.dev").sections()).containsExactly("foodb.dev");
        assertThatThrownBy(() -> chat("catalog foodb.dev /srv/dumps/foodb.dump")).hasMessageContaining("name the backup by its date");
        VerbCall file = console("catalog foodb.dev /srv/dumps/foodb.dump");
        assertThat(file.file()).isEqualTo("/srv/dumps/foodb.dump");
        assertThat(file.date()).isNull();
        assertThat(console("catalog foodb.dev 2026-11-24").file()).isNull();
    }

    @Test
    void everyVerbHasAWellFormedSyntax() {
        for (Verb v : Verb.values()) {
            List<Verb.Param> params = v.params();
            for (int i = 0; i < params.size(); i++) {
                assertThat(!params.get(i).rest() || i == params.size() - 1).as(v + ": only the last argument takes the rest").isTrue();
            }
            assertThat(v.usage("")).startsWith(v.word());
            assertThat(v.summary()).isNotBlank();
        }
        assertThat(Verb.offeredBy(Face.CHAT)).contains(Verb.RESTORE, Verb.QUEUE).doesNotContain(Verb.LOAD);
        assertThat(Verb.offeredBy(Face.CONSOLE)).contains(Verb.RESTORE, Verb.LOAD, Verb.QUEUE);
    }
}
