package org.pgstaging.backup;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Elements;

/** HTML directory listings of Apache mod_autoindex and nginx autoindex; see {@link ListingParser}. */
final class HtmlListing {
    /** Apache {@code 2026-11-24 20:28} or nginx {@code 24-Nov-2026 20:28}, then the size column. */
    private static final Pattern DATE_TIME = Pattern.compile(
            "(?:\\d{4}-\\d{2}-\\d{2}|\\d{1,2}-[A-Za-z]{3}-\\d{4})\\s+\\d{1,2}:\\d{2}(?::\\d{2})?");
    private static final Pattern PRE_SIZE = Pattern.compile(DATE_TIME.pattern() + "\\s+(\\S+)");
    private static final Pattern EXACT = Pattern.compile("\\d+");
    /** Apache's apr_strfsize: {@code 5.9K}, {@code 104M}; powers of 1024. */
    private static final Pattern ROUNDED = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGTPE])i?B?", Pattern.CASE_INSENSITIVE);
    private static final String UNITS = "KMGTPE";

    private HtmlListing() { }

    static ListingParser.Format detect(Document doc) {
        if (!doc.select("table td a[href]").isEmpty()) return ListingParser.Format.TABLE;
        if (!doc.select("pre a[href]").isEmpty()) return ListingParser.Format.PRE;
        return ListingParser.Format.LINKS;
    }

    static List<ListingEntry> parse(Document doc, ListingParser.Format format) {
        List<ListingEntry> entries = new ArrayList<>();
        switch (format) {
            case TABLE -> {
                for (Element row : doc.select("tr")) {
                    Element a = row.selectFirst("td a[href]");
                    if (a != null) entry(a.attr("href"), tableSize(row, a)).ifPresent(entries::add);
                }
            }
            case PRE -> {
                for (Element a : doc.select("pre a[href]")) {
                    entry(a.attr("href"), preSize(a)).ifPresent(entries::add);
                }
            }
            default -> {
                for (Element a : doc.select("a[href]")) {
                    entry(a.attr("href"), OptionalLong.empty()).ifPresent(entries::add);
                }
            }
        }
        return entries;
    }

    /** The cell after the "last modified" cell that follows the link's cell. */
    private static OptionalLong tableSize(Element row, Element link) {
        Elements cells = row.select("> td");
        boolean afterLink = false;
        for (int i = 0; i < cells.size(); i++) {
            Element td = cells.get(i);
            if (!afterLink) {
                afterLink = td.selectFirst("a[href]") == link;
                continue;
            }
            if (DATE_TIME.matcher(td.text()).find() && i + 1 < cells.size()) {
                return size(cells.get(i + 1).text());
            }
        }
        return OptionalLong.empty();
    }

    /** The rest of the link's line: {@code    24-Nov-2026 20:28   1019193}. */
    private static OptionalLong preSize(Element link) {
        StringBuilder line = new StringBuilder();
        for (Node n = link.nextSibling(); n instanceof TextNode t; n = n.nextSibling()) {
            String text = t.getWholeText();
            int nl = text.indexOf('\n');
            if (nl >= 0) {
                line.append(text, 0, nl);
                break;
            }
            line.append(text);
        }
        Matcher m = PRE_SIZE.matcher(line);
        return m.find() ? size(m.group(1)) : OptionalLong.empty();
    }

    /** Exact bytes when the column is digits; Apache's rounded form as an approximation; {@code -} for none. */
    static OptionalLong size(String text) {
        String t = text.replace('\u00a0', ' ').trim();
        if (EXACT.matcher(t).matches()) {
            try {
                return OptionalLong.of(Long.parseLong(t));
            } catch (NumberFormatException tooBig) {
                return OptionalLong.empty();
            }
        }
        Matcher m = ROUNDED.matcher(t);
        if (m.matches()) {
            int power = UNITS.indexOf(Character.toUpperCase(m.group(2).charAt(0))) + 1;
            return OptionalLong.of(Math.round(Double.parseDouble(m.group(1)) * Math.pow(1024, power)));
        }
        return OptionalLong.empty();
    }

    /**
     * The entry an href names: query-only links ({@code ?C=N;O=D}) are sort links, not entries;
     * a trailing slash marks a directory; the last path segment, percent-decoded, is the name.
     */
    static Optional<ListingEntry> entry(String href, OptionalLong size) {
        String path = href;
        int cut = indexOfAny(path, '?', '#');
        if (cut >= 0) path = path.substring(0, cut);
        if (path.isEmpty()) return Optional.empty();
        boolean directory = path.endsWith("/");
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        String name = percentDecode(path.substring(path.lastIndexOf('/') + 1));
        if (name.isEmpty() || name.equals(".") || name.equals("..")) directory = true;
        return Optional.of(new ListingEntry(name, directory, directory ? OptionalLong.empty() : size));
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : (j < 0 ? i : Math.min(i, j));
    }

    /**
     * RFC 3986 percent-decoding as UTF-8. Not URLDecoder: in a path {@code +} is a plus sign.
     * Malformed escapes are kept as written rather than failing the whole listing.
     */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            int hi;
            int lo;
            if (raw[i] == '%' && i + 2 < raw.length
                    && (hi = Character.digit(raw[i + 1], 16)) >= 0 && (lo = Character.digit(raw[i + 2], 16)) >= 0) {
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(raw[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
