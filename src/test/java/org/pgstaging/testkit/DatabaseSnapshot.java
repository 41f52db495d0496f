package org.pgstaging.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What a restored database holds, by name only (OIDs differ between restores), sorted: relations
 * with kind, owner, ACL, RLS and matview population, sequence values, constraints, triggers, policies, functions, types,
 * casts, event triggers, foreign servers and user mappings, extensions, publications and their
 * tables, large objects, default privileges, comments, and each table's row count and content
 * checksum. Two restores of the same list must give equal snapshots.
 */
public final class DatabaseSnapshot {
    private DatabaseSnapshot() {}

    /** What a copy holds, by name: objects, comments, ACLs, rows and a checksum of each table's content. */
    public static List<String> of(PostgresServer pg, String db) throws Exception {
        List<String> out = new ArrayList<>();
        String userNs = " NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";
        try (Connection c = pg.connect(db); Statement st = c.createStatement()) {
            collect(st, out, "SELECT 'rel ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' ' || c.relkind::text"
                    + " || ' ' || coalesce(c.relacl::text, '') || ' ' || c.relrowsecurity || ' ' || c.relispopulated"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname" + userNs);
            collect(st, out, "SELECT 'rel ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' ' || c.relkind::text"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname" + userNs);
            collect(st, out, "SELECT 'owner ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' '"
                    + " || c.relowner::regrole FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND n.nspname" + userNs);
            collect(st, out, "SELECT 'seq ' || quote_ident(schemaname) || '.' || quote_ident(sequencename) || ' '"
                    + " || coalesce(last_value::text, 'unset') FROM pg_sequences");
            collect(st, out, "SELECT 'con ' || conrelid::regclass || ' ' || conname || ' ' || contype::text FROM pg_constraint"
                    + " WHERE connamespace::regnamespace::text" + userNs);
            collect(st, out, "SELECT 'trg ' || tgrelid::regclass || ' ' || tgname FROM pg_trigger WHERE NOT tgisinternal");
            collect(st, out, "SELECT 'pol ' || polrelid::regclass || ' ' || polname FROM pg_policy");
            collect(st, out, "SELECT 'fn ' || pronamespace::regnamespace || '.' || proname FROM pg_proc"
                    + " WHERE pronamespace::regnamespace::text" + userNs);
            collect(st, out, "SELECT 'type ' || typnamespace::regnamespace || '.' || typname || ' ' || typtype::text FROM pg_type t"
                    + " WHERE typnamespace::regnamespace::text" + userNs + " AND typtype IN ('c', 'd', 'e')"
                    + " AND (typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = typrelid) = 'c')");
            collect(st, out, "SELECT 'cast ' || casttarget::regtype FROM pg_cast WHERE oid >= 16384");
            collect(st, out, "SELECT 'evt ' || evtname FROM pg_event_trigger");
            collect(st, out, "SELECT 'srv ' || srvname FROM pg_foreign_server");
            collect(st, out, "SELECT 'um ' || srvname || ' ' || usename FROM pg_user_mappings");
            collect(st, out, "SELECT 'ext ' || extname || ' ' || extnamespace::regnamespace FROM pg_extension");
            collect(st, out, "SELECT 'pub ' || pubname FROM pg_publication");
            collect(st, out, "SELECT 'pubrel ' || p.pubname || ' ' || r.prrelid::regclass FROM pg_publication_rel r"
                    + " JOIN pg_publication p ON p.oid = r.prpubid");
            collect(st, out, "SELECT 'lo ' || oid FROM pg_largeobject_metadata");
            collect(st, out, "SELECT 'defacl ' || coalesce(defaclnamespace::regnamespace::text, '-') || ' ' || defaclacl::text"
                    + " FROM pg_default_acl");
            collect(st, out, "SELECT 'comment ' || classoid::regclass || ' ' || description FROM pg_description"
                    + " WHERE objoid >= 16384");
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname" + userNs)) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            for (String t : tables) {
                collect(st, out, "SELECT 'rows " + t.replace("'", "''") + " ' || count(*) || ' '"
                        + " || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') FROM ONLY " + t + " x");
            }
        }
        out.sort(null);
        return out;
    }

    private static void collect(Statement st, List<String> out, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
    }
}
