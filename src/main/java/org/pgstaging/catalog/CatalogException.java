package org.pgstaging.catalog;

import org.pgstaging.PgStagingException;

/** A dump catalog that cannot be read or parsed: names the file or line and says how to get a readable one. */
public class CatalogException extends PgStagingException {
    public CatalogException(String message, String hint) {
        super(message, hint);
    }

    public CatalogException(String message, String hint, Throwable cause) {
        super(message, hint, cause);
    }
}
