package dev.steeropt.optimizer.storage;

/**
 * A study or trial the caller named does not exist in the storage (an unknown study name or id, trial id, or trial
 * number). Its own type so that callers, the gRPC storage server's {@code NOT_FOUND} among them, tell it from a
 * database that failed without reading the message.
 */
public class RecordNotFoundException extends StorageException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message  what is missing, why, and how to find what exists (one line)
     * @param badInput whether the user named it (exit code 2), or the program's own lookup missed (exit code 1)
     */
    public RecordNotFoundException(String message, boolean badInput) {
        super(message, null, badInput);
    }
}
