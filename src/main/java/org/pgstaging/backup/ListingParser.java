package org.pgstaging.backup;

import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Reads a directory listing served over HTTP, detecting its format from the content rather than
 * from the server name, since proxies and custom index pages hide it:
 * <ul>
 *   <li>{@link Format#JSON}: nginx {@code autoindex_format json}, an array of
 *       {@code {"name","type","mtime","size"}} (exact sizes);</li>
 *   <li>{@link Format#TABLE}: Apache mod_autoindex {@code FancyIndexing HTMLTable} (rounded sizes);</li>
 *   <li>{@link Format#PRE}: nginx autoindex HTML (exact sizes) or Apache {@code FancyIndexing}
 *       without HTMLTable (rounded sizes);</li>
 *   <li>{@link Format#LINKS}: Apache without FancyIndexing ({@code <ul><li><a>}) or any page of
 *       links (no sizes).</li>
 * </ul>
 * Names always come from the {@code href} (URL-decoded), because display texts get truncated
 * ({@code a_very_long_name..>}).
 */
public final class ListingParser {
    public enum Format { JSON, TABLE, PRE, LINKS }

    private ListingParser() { }

    public static Format detect(String body) {
        if (looksLikeJson(body)) return Format.JSON;
        return HtmlListing.detect(Jsoup.parse(body));
    }

    /** Every entry of the listing, in page order; throws {@link BackupException} when it cannot be read. */
    public static List<ListingEntry> parse(String body) {
        if (looksLikeJson(body)) return JsonListing.parse(body);
        Document doc = Jsoup.parse(body);
        return HtmlListing.parse(doc, HtmlListing.detect(doc));
    }

    private static boolean looksLikeJson(String body) {
        String t = body.stripLeading();
        return t.startsWith("[") || t.startsWith("{");
    }
}
