package org.pgstaging.catalog;

import java.util.ArrayList;
import java.util.List;

/** Keeps the first {@code cap} items and counts the rest, so a summary of a huge catalog stays small. */
final class CappedList {
    private final int cap;
    private final List<String> items = new ArrayList<>();
    private int more;

    CappedList(int cap) {
        this.cap = cap;
    }

    void add(String item) {
        if (items.size() < cap) items.add(item);
        else more++;
    }

    boolean contains(String item) {
        return items.contains(item);
    }

    List<String> items() {
        return List.copyOf(items);
    }

    int more() {
        return more;
    }
}
