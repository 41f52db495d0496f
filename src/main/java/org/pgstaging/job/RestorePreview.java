package org.pgstaging.job;

import java.util.Optional;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.job.CatalogReport;

/**
 * What an approver needs to decide: which dump, where it goes, what the catalog filter leaves out.
 * {@code catalog} is empty when the filter can only be computed after the download.
 */
public record RestorePreview(String section, BackupFile backup, String targetServer, String targetDatabase,
                             Optional<CatalogReport> catalog) {
}
