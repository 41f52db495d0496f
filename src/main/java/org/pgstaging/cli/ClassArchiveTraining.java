package org.pgstaging.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the classes a command-line run may need, so that the launcher ({@code src/main/scripts/pgstaging})
 * can list them ({@code -XX:DumpLoadedClassList}) and archive them (AppCDS, {@code -Xshare:dump}) after
 * one short run.
 *
 * <p>Why not archive whatever the user's first command loads: an archive made by {@code backups} misses
 * the JDBC driver and the restore pipeline, and every restore would then load those from the jar (0.3 s
 * for pgjdbc alone on 2 cores). Loading by package needs no list kept in step with the code. H2 is in
 * since every change a command makes is written to the history, and a restore waits for the history
 * to open before CREATE DATABASE (its ~640 classes from the jar cost a restore ~80 ms).
 *
 * <p>Why not everything either: the archive is mapped and relocated at every start, about 3 ms per MB
 * here, and the libraries' whole packages made it 40 MB of our classes where a restore uses 20. Left out are the
 * parts no command-line run uses (HTTP/2, asynchronous HTTP, H2's web console and spatial types, the
 * driver's translations) and those whose classes a run picks according to what it does, which the
 * archiving run archives as it loads them: Flyway (started only when the history's schema is behind),
 * Caffeine (hundreds of generated cache classes, a few used; the warm-up builds a listing's caches)
 * and Logback (configured the same way by every command). The bot's libraries (Bolt, Kotlin, OkHttp)
 * and the console's JLine are left out: those processes run for long, so their start-up matters little.
 */
public final class ClassArchiveTraining {
    static final List<String> PREFIXES = List.of(
            "org/pgstaging/", "org/postgresql/", "org/apache/hc/", "org/jsoup/", "org/slf4j/",
            "com/google/gson/", "picocli/", "org/h2/");
    static final List<String> EXCLUDED = List.of("org/pgstaging/slack/",
            "org/apache/hc/core5/http2/", "org/apache/hc/core5/reactor/", "org/apache/hc/core5/http/nio/",
            "org/apache/hc/core5/http/impl/nio/", "org/apache/hc/core5/http/impl/bootstrap/",
            "org/apache/hc/client5/http/async/", "org/apache/hc/client5/http/impl/async/",
            "org/apache/hc/client5/http/impl/nio/", "org/apache/hc/client5/http/entity/mime/",
            "org/h2/server/web/", "org/h2/bnf/", "org/h2/fulltext/", "org/h2/util/geometry/", "org/h2/mvstore/rtree/",
            "org/postgresql/translation/");

    private ClassArchiveTraining() { }

    /** Loads (without initializing) every class of {@link #PREFIXES} in this jar; returns how many. */
    static int loadAll() throws IOException, URISyntaxException {
        Path jar = Path.of(ClassArchiveTraining.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!java.nio.file.Files.isRegularFile(jar)) return 0;   // classes in a directory: not run by the launcher
        int loaded = 0;
        ClassLoader loader = ClassArchiveTraining.class.getClassLoader();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (!wanted(name)) continue;
                try {
                    Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'), false, loader);
                    loaded++;
                } catch (ClassNotFoundException | LinkageError notLoadable) {
                    // a class of an optional dependency that is not shipped (e.g. logback's mail appender)
                }
            }
        }
        return loaded;
    }

    static boolean wanted(String entry) {
        if (!entry.endsWith(".class") || entry.startsWith("META-INF/") || entry.endsWith("module-info.class")) {
            return false;
        }
        for (String x : EXCLUDED) {
            if (entry.startsWith(x)) return false;
        }
        for (String p : PREFIXES) {
            if (entry.startsWith(p)) return true;
        }
        return false;
    }
}
