package dev.steeropt.optimizer.storage;

import dev.steeropt.errors.UserFacingException;
import java.util.List;

/**
 * A storage problem the user can act on (unknown study, unreachable database, incompatible schema). The message
 * says what, why and how to fix it; as a {@link UserFacingException} the CLI prints it as one line without a stack
 * trace. Its kind is {@link Kind#WORLD} (exit code 1) unless built with {@link Kind#BAD_INPUT} (a path that cannot be
 * a database, a malformed URL: exit code 2).
 */
public class StorageException extends UserFacingException {
    private static final long serialVersionUID = 1L;

    /** A failure of the world (exit code 1) with a complete message. */
    public StorageException(String message) {
        super(Kind.WORLD, message, null);
    }

    /** A failure of the world (exit code 1) with a complete message, chaining the cause. */
    public StorageException(String message, Throwable cause) {
        super(Kind.WORLD, message, cause);
    }

    /** A storage error of the given kind, chaining the cause (may be {@code null}). */
    public StorageException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    /** "Study 'x' does not exist" with the names that do. */
    public static StorageException studyNotFound(String name, List<String> known) {
        return new StorageException("Study '" + name + "' does not exist in this storage"
                + (known.isEmpty() ? " (it has no studies)." : " (studies here: " + String.join(", ", known) + ").")
                + " Check --study-name and --storage, or create it with 'steeropt create-study'.");
    }
}
