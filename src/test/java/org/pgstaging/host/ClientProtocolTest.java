package org.pgstaging.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClientProtocolTest {
    @Test
    void framesCarryExactBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String ini = "[databases]\r\nfoo = dbname=foo\r\n; é ✓\n";
        ClientProtocol.writeFrame(out, ClientProtocol.FRAME_CONTENT, ini);
        ClientProtocol.writeFrame(out, ClientProtocol.FRAME_DONE, new byte[0]);
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        ClientProtocol.Frame first = ClientProtocol.readFrame(in);
        assertThat(first.word()).isEqualTo("content");
        assertThat(first.text()).isEqualTo(ini);
        assertThat(ClientProtocol.readFrame(in).word()).isEqualTo("done");
        assertThat(ClientProtocol.readFrame(in)).as("end of input").isNull();
    }

    @Test
    void aBadOrHugeOrCutFrameIsAnError() {
        assertThatThrownBy(() -> ClientProtocol.readFrame(stream("replace 999999999\n"))).hasMessageContaining("too big");
        assertThatThrownBy(() -> ClientProtocol.readFrame(stream("rm -rf /\n"))).hasMessageContaining("not a pgstaging frame header");
        assertThatThrownBy(() -> ClientProtocol.readFrame(stream("content 10\nabc"))).hasMessageContaining("closed inside a frame");
        assertThatThrownBy(() -> ClientProtocol.readFrame(stream("conte"))).hasMessageContaining("inside a frame header");
    }

    @Test
    void versionsOrderAsReleasesDo() {
        assertThat(VersionOrder.compare("0.1.0", "0.2.0")).isNegative();
        assertThat(VersionOrder.compare("0.10.0", "0.9.1")).isPositive();
        assertThat(VersionOrder.compare("1.0.0-SNAPSHOT", "1.0.0")).isNegative();
        assertThat(VersionOrder.compare("1.0", "1.0.0")).isZero();
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
