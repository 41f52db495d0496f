package org.pgstaging.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenSshTest {
    @Test
    void theRemoteCommandReachesTheServerWordForWord() {
        List<String> hostile = List.of("/usr/bin/pgstaging-client", "read", "it's", "a b", "$(id)", "`id`", "x;id", "\"q\"", "*", "");
        String line = OpenSsh.remoteCommand(hostile);
        // the remote side runs the line with sh -c: do the same here and get every word back
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "printf '[%s]\\n' " + line.substring(line.indexOf(' ') + 1)));
        StringBuilder out = new StringBuilder();
        CommandResult r = new LocalHost().run(Command.of(argv).withOutput(l -> out.append(l).append('\n'), l -> { }));
        assertThat(r.exitCode()).isZero();
        assertThat(out.toString()).isEqualTo("[read]\n[it's]\n[a b]\n[$(id)]\n[`id`]\n[x;id]\n[\"q\"]\n[*]\n[]\n");
    }

    @Test
    void sshIsStrictNeverPromptsAndOnlyPassesWhatTheSectionSets() {
        OpenSsh bare = new OpenSsh(SshTarget.of("db1"));
        List<String> argv = bare.command(List.of("true"));
        assertThat(argv).containsSequence("-o", "BatchMode=yes").containsSequence("-o", "StrictHostKeyChecking=yes")
                .containsSequence("-o", "ControlMaster=no", "--", "db1", "true")
                .doesNotContain("-p", "-l", "-i", "-F");
        OpenSsh full = new OpenSsh(new SshTarget("db1", Optional.of("pgstaging"), Optional.of(2222),
                Optional.of(Path.of("/k")), Optional.of(Path.of("/kh")), Optional.of(Path.of("/cfg"))));
        assertThat(full.command(List.of("true"))).containsSequence("-F", "/cfg").containsSequence("-l", "pgstaging")
                .containsSequence("-p", "2222").containsSequence("-i", "/k", "-o", "IdentitiesOnly=yes")
                .containsSequence("-o", "UserKnownHostsFile=/kh");
    }

    @Test
    void aDestinationOrUserThatSshWouldReadAsAnOptionIsRefused() {
        assertThatThrownBy(() -> SshTarget.of("-oProxyCommand=id")).isInstanceOf(HostException.class)
                .hasMessageContaining("Invalid SSH destination");
        assertThatThrownBy(() -> new SshTarget("db1", Optional.of("-oX"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty())).hasMessageContaining("Invalid SSH user");
        assertThat(SshTarget.of("::1").display()).isEqualTo("::1");
        assertThat(SshTarget.of("db-dev-1.internal").knownHostsName()).isEqualTo("db-dev-1.internal");
    }
}
