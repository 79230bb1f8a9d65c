package dev.steeropt.studies.cli;

import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.store.StorageUrl;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --storage URL}, shared by every command that reads or writes studies. */
public final class StorageOptions {

    @Option(names = "--storage", paramLabel = "URL",
            description = "Database URL: sqlite:///relative.db, sqlite:////absolute.db or"
                    + " postgresql://user:password@host:5432/db (default: $" + StorageUrl.ENV + ", else "
                    + StorageUrl.DEFAULT + ").")
    String storage;

    /** The parsed URL; a malformed one is a usage error (exit code 2). */
    public StorageUrl url() {
        return url(storage, System.getenv());
    }

    static StorageUrl url(String storage, Map<String, String> env) {
        try {
            return StorageUrl.resolve(storage, env);
        } catch (IllegalArgumentException e) {
            throw UserFacingException.usage(e.getMessage(), null, null);
        }
    }

    /** Opens the store for a command that only reads: a missing SQLite file is an error, never created. */
    public JdbcTrialStore openForReading() {
        return TrialStores.open(url(), StoreOptions.DEFAULTS.createIfMissing(false));
    }

    /** Opens the store for a command that writes, creating the database and schema if absent. */
    public JdbcTrialStore openForWriting() {
        return TrialStores.open(url(), StoreOptions.DEFAULTS);
    }
}
