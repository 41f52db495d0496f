package org.pgstaging.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a console or script line into words like a POSIX shell (and pg_staging's shlex):
 * single quotes keep everything, double quotes allow backslash escapes, {@code #} at the start
 * of a word begins a comment.
 */
final class LineSplitter {
    private LineSplitter() {}

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') quote = 0;
                else word.append(c);
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (c == '#' && !inWord) {
                break;
            } else {
                inWord = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new UsageException("unterminated " + (quote == '\'' ? "single" : "double") + " quote",
                    "close the quote: " + quote + "..." + quote);
        }
        if (inWord) words.add(word.toString());
        return words;
    }
}
