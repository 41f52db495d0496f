package org.pgstaging.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * One JSON object per log line, flat so a collector indexes it as is: time, level, logger, thread,
 * message, the log context's keys (a job's job_id, server, section, user) and the stack trace of an
 * exception. Logback's own JsonEncoder nests the context under "mdc" and adds the raw message
 * pattern, its arguments and the logger context to every line; arguments are left out here so an
 * object's toString can never put a secret in the log that the message itself does not show.
 */
final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final Set<String> OWN = Set.of("time", "level", "logger", "thread", "message", "exception");

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonWriter json = new JsonWriter(out)) {
            json.setHtmlSafe(false);
            json.beginObject();
            json.name("time").value(Instant.ofEpochMilli(event.getTimeStamp()).toString());
            json.name("level").value(event.getLevel().toString());
            json.name("logger").value(event.getLoggerName());
            json.name("thread").value(event.getThreadName());
            json.name("message").value(event.getFormattedMessage());
            Map<String, String> context = event.getMDCPropertyMap();
            if (context != null) {
                for (Map.Entry<String, String> e : new java.util.TreeMap<>(context).entrySet()) {
                    if (!OWN.contains(e.getKey()) && e.getValue() != null) json.name(e.getKey()).value(e.getValue());
                }
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) json.name("exception").value(ThrowableProxyUtil.asString(thrown));
            json.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        out.append('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
