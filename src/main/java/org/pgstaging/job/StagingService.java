package org.pgstaging.job;

import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.StagingConfig;
import org.pgstaging.restore.RestoreListener;

/**
 * TEMPORARY PLACEHOLDER from the cli branch so the command line compiles; the lead's real
 * {@code StagingService} replaces this file at merge. Every operation throws.
 */
public final class StagingService implements StagingOperations {

    public StagingService(StagingConfig config, EngineOptions options, RestoreListener listener) {
    }

    @Override
    public List<String> sections() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public RestoreResult restore(String section, DateSpec date, RestoreListener listener) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public RestoreResult load(String section, Path dumpFile, RestoreListener listener) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Path fetch(String section, DateSpec date, RestoreListener listener) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public String createdb(String section, DateSpec date) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public String drop(String section, DateSpec date) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public String switchTo(String section, DateSpec date) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<String> purge(String section) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void vacuumdb(String section, DateSpec date, RestoreListener listener) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<Path> sourceSql(String section, DateSpec date, boolean pre, RestoreListener listener) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void initCluster(String section, RestoreListener listener) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Path dump(String section, DateSpec date, Path file, boolean overwrite) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<DatabaseInfo> databases(String section) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<BackupFile> backups(String section, boolean local) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public DatabaseSize dbsize(String section, DateSpec date) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<DatabaseSize> dbsizes(List<String> sections) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public String show(String section, DateSpec date, String setting) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<PgbouncerDatabase> pgbouncer(String section) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void pause(String section, DateSpec date) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void resume(String section, DateSpec date) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public String service(String section, String action) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public CatalogReport catalog(String section, Path dumpFile, Writer out) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<TriggerInfo> triggers(String section, Path dumpFile) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<String> nodata(String section, Path dumpFile) {
        throw new UnsupportedOperationException("not yet");
    }
}
