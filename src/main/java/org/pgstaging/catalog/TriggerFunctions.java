package org.pgstaging.catalog;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/** Lists the triggers of a catalog with the function each one calls, and whether the filter drops it. */
public final class TriggerFunctions {
    private TriggerFunctions() {}

    /** Every trigger of {@code entries}, in catalog order; {@code dropped} per {@code rules}. */
    public static List<TriggerFunction> list(Iterator<CatalogEntry> entries, FilterRules rules) {
        List<TriggerFunction> out = new ArrayList<>();
        forEach(entries, rules, out::add);
        return out;
    }

    /**
     * Streams the triggers of {@code entries} to {@code sink}. Every entry goes through the filter, since a
     * trigger may be dropped because of a function entry seen earlier.
     */
    public static void forEach(Iterator<CatalogEntry> entries, FilterRules rules, Consumer<TriggerFunction> sink) {
        CatalogFilter.Pass pass = new CatalogFilter(rules).start();
        while (entries.hasNext()) {
            CatalogEntry e = entries.next();
            CatalogFilter.Reason reason = pass.decide(e);
            if (!e.is("TRIGGER")) continue;
            boolean dropped = reason != CatalogFilter.Reason.KEEP;
            TriggerDefinition def = pass.lastTrigger();
            if (def != null) {
                String schema = def.tableSchema() != null ? def.tableSchema() : e.namespace();
                sink.accept(new TriggerFunction(schema, def.table(), def.trigger(), def.functionSchema(),
                        def.function(), dropped));
            } else {
                int sp = e.tag().indexOf(' ');
                String table = sp < 0 ? e.tag() : e.tag().substring(0, sp);
                String trigger = sp < 0 ? "" : e.tag().substring(sp + 1);
                sink.accept(new TriggerFunction(e.namespace(), table, trigger, null, null, dropped));
            }
        }
    }
}
