package org.pgstaging.restore;

/** Receives {@link RestoreEvent}s; must be quick (hand slow work to another thread). */
@FunctionalInterface
public interface RestoreListener {
    void on(RestoreEvent event);

    RestoreListener NONE = e -> { };
}
