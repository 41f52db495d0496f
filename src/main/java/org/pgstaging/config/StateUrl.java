package org.pgstaging.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.Driver;

/**
 * {@code [slack] state_url}: the PostgreSQL database holding the bot's jobs and the history instead
 * of the H2 files under state_dir. It may carry a password ({@code password=}), so it is never shown
 * as written: {@link #toString()} and {@link #mask} hide it.
 */
public final class StateUrl {
    public static final String OPTION = "state_url";
    private static final String PREFIX = "jdbc:postgresql:";
    /** jdbc:postgresql:[//HOSTS/]DATABASE[?PARAMETERS] */
    private static final Pattern SHAPE = Pattern.compile("jdbc:postgresql:(?://([^/?]*)/)?([^?]*)(\\?.*)?");
    /** The port of one host of HOSTS: after the last colon, unless that colon is inside an [IPv6] address. */
    private static final Pattern PORT = Pattern.compile(":([^:\\]]*)$");
    private static final Pattern PASSWORD = Pattern.compile("(?i)([?&]password=)[^&]*");
    /** Shorter passwords are not hunted in free text: masking every "ab" would garble the message more than it hides. */
    private static final int MASKED_IN_TEXT_FROM = 4;

    private final String url;
    private final String display;
    private final String password;

    private StateUrl(String url, String display, String password) {
        this.url = url;
        this.display = display;
        this.password = password;
    }

    /** The URL checked: a jdbc:postgresql: URL pgjdbc can read, naming its database. */
    public static StateUrl parse(String value) {
        String url = value == null ? "" : value.strip();
        String shown = maskUrl(url);
        String hint = "write it as jdbc:postgresql://HOST:PORT/DATABASE?user=USER (the password in ~/.pgpass),"
                + " or leave state_url out to keep the state in files under state_dir";
        if (!url.startsWith(PREFIX)) {
            throw new Invalid("'" + shown + "' is not a PostgreSQL JDBC URL (only jdbc:postgresql: is accepted)", hint);
        }
        // checked before the driver reads it: pgjdbc takes the user name for a missing database and logs bad ports
        Matcher shape = SHAPE.matcher(url);
        if (!shape.matches() || shape.group(2).isEmpty()) throw new Invalid("'" + shown + "' names no database", hint);
        for (String host : shape.group(1) == null ? new String[0] : shape.group(1).split(",")) {
            Matcher port = PORT.matcher(host);
            if (port.find() && (port.group(1).length() > 5 || !port.group(1).matches("\\d+")
                    || Integer.parseInt(port.group(1)) < 1 || Integer.parseInt(port.group(1)) > 65535)) {
                throw new Invalid("'" + shown + "' has no valid port ('" + port.group(1) + "')", hint);
            }
        }
        Properties parsed = Driver.parseURL(url, new Properties());
        if (parsed == null) throw new Invalid("'" + shown + "' is not a URL the PostgreSQL driver can read", hint);
        String db = parsed.getProperty("PGDBNAME", "");
        String display = parsed.getProperty("PGHOST", "localhost") + ":" + parsed.getProperty("PGPORT", "5432") + "/" + db;
        return new StateUrl(url, display, passwordOf(url));
    }

    private static String passwordOf(String url) {
        Matcher m = Pattern.compile("(?i)[?&]password=([^&]*)").matcher(url);
        if (!m.find()) return null;
        try {
            return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return m.group(1);
        }
    }

    private static String maskUrl(String url) {
        return PASSWORD.matcher(url).replaceAll("$1****");
    }

    /** The URL as written, password included: for the driver only, never for a message. */
    public String jdbcUrl() { return url; }

    /** {@code host:port/database}: how messages name the state database. */
    public String display() { return display; }

    /** {@code text} (an error from the driver, say) with this URL's password hidden. */
    public String mask(String text) {
        if (text == null) return null;
        String masked = text.replace(url, maskUrl(url));
        if (password != null && password.length() >= MASKED_IN_TEXT_FROM) masked = masked.replace(password, "****");
        return masked;
    }

    /** The URL with its password hidden. */
    @Override
    public String toString() { return maskUrl(url); }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateUrl other && other.url.equals(url);
    }

    @Override
    public int hashCode() { return Objects.hash(url); }

    /** A state_url that cannot be used; the configuration loader places it at its line. */
    public static final class Invalid extends IllegalArgumentException {
        private final String hint;

        Invalid(String message, String hint) {
            super(message);
            this.hint = hint;
        }

        public String hint() { return hint; }
    }
}
