package dev.steeropt.studies.store;

import dev.steeropt.optimizer.storage.StorageException;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Opens persistent trial stores from storage URLs. */
public final class TrialStores {
    private TrialStores() {}

    /**
     * Opens (and, if allowed, creates) the store behind {@code url}. Throws {@link IllegalArgumentException} for a
     * malformed URL and {@link StorageException} when the database cannot be reached, is missing, or has a schema
     * this version cannot work with; a SQLite path that cannot be a database is a {@link StorageException} of kind
     * {@link StorageException#badInput bad input}.
     */
    public static JdbcTrialStore open(String url, StoreOptions options) {
        return open(StorageUrl.parse(url), options);
    }

    /** Opens the store behind an already parsed URL. */
    public static JdbcTrialStore open(StorageUrl url, StoreOptions options) {
        if (url.kind() == StorageUrl.Kind.SQLITE) {
            requireUsableSqlitePath(url);
        }
        if (!options.createIfMissing()) {
            requireExistingSqliteFile(url);
        }
        return JdbcTrialStore.open(url, options);
    }

    /**
     * Refuses, as bad input (exit code 2), a SQLite URL whose file does not exist, for the commands that only read
     * (they must not create an empty database by accident). Does nothing for other kinds of storage.
     */
    public static void requireExistingSqliteFile(StorageUrl url) {
        if (url.kind() == StorageUrl.Kind.SQLITE && !Files.exists(url.sqlitePath())) {
            throw StorageException.badInput("SQLite database '"
                    + url.sqlitePath().toAbsolutePath() + "' does not exist (storage " + url.display() + "), and this"
                    + " command only reads a study database. Check the path after sqlite:/// (three slashes for a"
                    + " relative path, four for an absolute one), or create a study there with 'steeropt create-study'.",
                    null);
        }
    }

    /** The SQLite header every database file starts with. */
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    /**
     * Refuses, as bad input (exit code 2), a SQLite path that cannot be a database: a directory, a file in a folder
     * that does not exist, or an existing file that is not a SQLite database.
     */
    static void requireUsableSqlitePath(StorageUrl url) {
        Path p = url.sqlitePath().toAbsolutePath();
        String fix = " Check the path after sqlite:/// (three slashes for a relative path, four for an absolute one).";
        if (Files.isDirectory(p)) {
            throw StorageException.badInput("Storage " + url.display() + " names the"
                    + " directory " + p + ", not a database file." + fix, null);
        }
        Path parent = p.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw StorageException.badInput("Storage " + url.display() + " is in the"
                    + " folder " + parent + ", which does not exist. Create the folder first, or fix the path." + fix, null);
        }
        if (Files.isRegularFile(p)) {
            byte[] head = new byte[SQLITE_MAGIC.length];
            int n;
            try (InputStream in = Files.newInputStream(p)) {
                n = in.readNBytes(head, 0, head.length);
            } catch (IOException e) {
                throw StorageException.badInput("Storage " + url.display() + ": the"
                        + " file " + p + " cannot be read (" + e.getMessage() + "). Check its permissions.", e);
            }
            if (n > 0 && !Arrays.equals(head, SQLITE_MAGIC)) {
                throw StorageException.badInput("Storage " + url.display() + ": the"
                        + " file " + p + " is not a SQLite database (it does not start with the SQLite header). Pass"
                        + " the study database, or a new file name to create one.", null);
            }
        }
    }
}
