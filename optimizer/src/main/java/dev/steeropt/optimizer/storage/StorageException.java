package dev.steeropt.optimizer.storage;

import java.util.List;

/**
 * A storage problem the user can act on (unknown study, unreachable database, incompatible schema). The message
 * says what, why and how to fix it, in one line, which the CLI prints without a stack trace. It is a failure of the
 * world (exit code 1: a database that does not answer) unless made by {@link #badInput} (a path that cannot be a
 * database, a malformed URL: the user's input at fault, exit code 2).
 */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean badInput;

    /** A failure of the world (exit code 1) with a complete message. */
    public StorageException(String message) {
        this(message, null);
    }

    /** A failure of the world (exit code 1) with a complete message, chaining the cause. */
    public StorageException(String message, Throwable cause) {
        this(message, cause, false);
    }

    StorageException(String message, Throwable cause, boolean badInput) {
        super(message, cause);
        this.badInput = badInput;
    }

    /** The user's storage input cannot work (exit code 2), chaining the cause (may be {@code null}). */
    public static StorageException badInput(String message, Throwable cause) {
        return new StorageException(message, cause, true);
    }

    /** True if the user's input is at fault (a URL or path), false for a failure of the world. */
    public boolean isBadInput() {
        return badInput;
    }

    /**
     * "Study 'x' does not exist" with the names that do: bad input (exit code 2), since the user named the study.
     */
    public static RecordNotFoundException studyNotFound(String name, List<String> known) {
        return new RecordNotFoundException("Study '" + name + "' does not exist in this storage"
                + (known.isEmpty() ? " (it has no studies)." : " (studies here: " + String.join(", ", known) + ").")
                + " Check --study-name and --storage (list the studies with 'steeropt studies --storage URL'),"
                + " or create it with 'steeropt create-study'.", true);
    }
}
