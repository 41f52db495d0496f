package org.pgstaging.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.Collection;
import java.util.NoSuchElementException;
import java.util.Optional;

/** Entries of a {@code pg_restore -l} listing, parsed line by line as they are asked for. */
public final class ListFileSource implements CatalogSource {
    private final BufferedReader reader;
    private final String name;
    private final CatalogLineParser parser;
    private CatalogEntry next;
    private int lineNumber;
    private boolean done;

    /**
     * @param knownSchemas schema names to recognise before the list's own SCHEMA lines (configured schemas)
     */
    public ListFileSource(Reader reader, String name, Collection<String> knownSchemas) {
        this.reader = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 65536);
        this.name = name;
        this.parser = new CatalogLineParser(knownSchemas);
    }

    @Override
    public Optional<ArchiveHeader> header() {
        return Optional.empty();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean hasNext() {
        while (next == null && !done) {
            String line;
            try {
                line = reader.readLine();
            } catch (IOException e) {
                throw new CatalogException(name + ": cannot read line " + (lineNumber + 1) + ": " + e.getMessage(),
                        "check that the list file is readable", e);
            }
            if (line == null) {
                done = true;
                break;
            }
            lineNumber++;
            try {
                next = parser.parse(line, lineNumber).orElse(null);
            } catch (CatalogException e) {
                throw new CatalogException(name + ": " + e.getMessage(), e.hint(), e);
            }
        }
        return next != null;
    }

    @Override
    public CatalogEntry next() {
        if (!hasNext()) throw new NoSuchElementException();
        CatalogEntry e = next;
        next = null;
        return e;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException ignored) {
            // read-only: nothing lost
        }
    }
}
