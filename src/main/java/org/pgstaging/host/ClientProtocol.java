package org.pgstaging.host;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What pgstaging and pgstaging-client say to each other over SSH: the client's sub-commands and
 * options, its exit statuses, and the frames of an edit session. Both sides use this class, so
 * they cannot disagree on a word.
 *
 * <p>A frame is {@code WORD LENGTH\n} followed by LENGTH bytes: binary-safe (a pgbouncer.ini keeps
 * its exact bytes, CRLF included) and bounded (a frame announces its size before anything is read).
 */
public final class ClientProtocol {
    private ClientProtocol() {}

    public static final String PROGRAM = "pgstaging-client";
    public static final String DEFAULT_PATH = "/usr/bin/pgstaging-client";

    /** Every sub-command names the console's version; the client refuses to work with another one. */
    public static final String CONSOLE_VERSION = "--console-version";
    public static final String CONF = "--conf";
    public static final String DBNAME = "--dbname";
    public static final String FORGET = "--forget";

    // sub-commands
    public static final String VERSION = "version";
    public static final String READ = "read";
    public static final String CHECK = "check";
    public static final String EDIT = "edit";
    public static final String SERVICE = "service";
    public static final String RESTORE = "restore";
    public static final String RUNS = "runs";

    // exit statuses of the client
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_VERSION = 3;

    /** First stdout line of {@code version}: {@code pgstaging-client VERSION}. */
    public static String versionLine(String version) {
        return PROGRAM + " " + version;
    }

    /** The last stdout line of {@code service}: systemctl's exit status (its own output comes before). */
    public static final String EXIT_STATUS = "exit-status ";

    // edit session words: console -> client
    public static final String FRAME_READ = "read";
    public static final String FRAME_REPLACE = "replace";
    public static final String FRAME_DONE = "done";
    // client -> console
    public static final String FRAME_LOCKED = "locked";
    public static final String FRAME_CONTENT = "content";
    public static final String FRAME_REPLACED = "replaced";
    public static final String FRAME_ERROR = "error";

    /** Bigger than any configuration file pgstaging edits (LocalHost reads at most 16 MB). */
    public static final int MAX_FRAME_BYTES = 17 * 1024 * 1024;

    private static final Pattern HEADER = Pattern.compile("([a-z]+) (\\d{1,9})");

    public record Frame(String word, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    public static void writeFrame(OutputStream out, String word, byte[] payload) throws IOException {
        out.write((word + " " + payload.length + "\n").getBytes(StandardCharsets.US_ASCII));
        out.write(payload);
        out.flush();
    }

    public static void writeFrame(OutputStream out, String word, String text) throws IOException {
        writeFrame(out, word, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next frame, or null at end of input before a frame starts. */
    public static Frame readFrame(InputStream in) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                if (header.size() == 0) return null;
                throw new EOFException("the connection closed inside a frame header");
            }
            if (header.size() > 40) throw new IOException("not a pgstaging frame header: " + header);
            header.write(c);
        }
        Matcher m = HEADER.matcher(header.toString(StandardCharsets.US_ASCII));
        if (!m.matches()) throw new IOException("not a pgstaging frame header: '" + header + "'");
        int length = Integer.parseInt(m.group(2));
        if (length > MAX_FRAME_BYTES) throw new IOException("frame of " + length + " bytes is too big");
        byte[] payload = in.readNBytes(length);
        if (payload.length != length) throw new EOFException("the connection closed inside a frame");
        return new Frame(m.group(1), payload);
    }

    /** An error frame's payload: the message, then the hint on the next line (may be empty). */
    public static String errorPayload(String message, String hint) {
        return oneLine(message) + "\n" + (hint == null ? "" : oneLine(hint));
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
