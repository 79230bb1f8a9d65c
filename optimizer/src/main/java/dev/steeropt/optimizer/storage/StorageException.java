package dev.steeropt.optimizer.storage;

import java.util.List;

/**
 * A storage problem the user can act on (unknown study, unreachable database, incompatible schema). The message
 * says what, why and how to fix it; the CLI prints it without a stack trace.
 */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "Study 'x' does not exist" with the names that do. */
    public static StorageException studyNotFound(String name, List<String> known) {
        return new StorageException("Study '" + name + "' does not exist in this storage"
                + (known.isEmpty() ? " (it has no studies)." : " (studies here: " + String.join(", ", known) + ").")
                + " Check --study-name and --storage, or create it with 'steeropt create-study'.");
    }
}
