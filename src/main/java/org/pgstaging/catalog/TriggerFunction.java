package org.pgstaging.catalog;

/**
 * A trigger of a dump and the function it executes.
 *
 * @param schema         schema of the trigger's table
 * @param table          the table; from {@code pg_restore -l} text it is the tag's first word (names with
 *                       spaces cannot be split there)
 * @param trigger        the trigger's name
 * @param functionSchema schema of the function, null when unknown (entries read from text)
 * @param function       the function's name, null when unknown
 * @param dropped        true when the filter rules remove this trigger
 */
public record TriggerFunction(String schema, String table, String trigger, String functionSchema,
                              String function, boolean dropped) {

    /** {@code schema.function}, or {@code ?} when unknown. */
    public String qualifiedFunction() {
        return function == null ? "?" : functionSchema + "." + function;
    }
}
