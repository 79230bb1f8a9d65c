package dev.steeropt.studies.store;

import dev.steeropt.optimizer.storage.StorageException;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.nio.file.Files;

/** Opens persistent trial stores from storage URLs. */
public final class TrialStores {
    private TrialStores() {}

    /**
     * Opens (and, if allowed, creates) the store behind {@code url}. Throws {@link IllegalArgumentException} for a
     * malformed URL and {@link StorageException} when the database cannot be reached, is missing, or has a schema
     * this version cannot work with.
     */
    public static JdbcTrialStore open(String url, StoreOptions options) {
        return open(StorageUrl.parse(url), options);
    }

    /** Opens the store behind an already parsed URL. */
    public static JdbcTrialStore open(StorageUrl url, StoreOptions options) {
        if (url.kind() == StorageUrl.Kind.SQLITE && !options.createIfMissing() && !Files.exists(url.sqlitePath())) {
            throw new StorageException("SQLite database '" + url.sqlitePath().toAbsolutePath() + "' does not exist"
                    + " (storage " + url.display() + "). Check the path after sqlite:/// (three slashes for a"
                    + " relative path, four for an absolute one), or create a study there with 'steeropt create-study'.");
        }
        return JdbcTrialStore.open(url, options);
    }
}
