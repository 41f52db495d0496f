package org.pgstaging.job;

/** A trigger of the dump and the function it calls; {@code dropped} when the filter removes it. */
public record TriggerInfo(String schema, String table, String trigger, String function, boolean dropped) {
}
