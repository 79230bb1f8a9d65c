package dev.steeropt.core.model;

/**
 * A model folder, config or weight file that cannot be loaded, with a message that names the file, tensor or key at
 * fault, why it cannot work and what to do instead.
 *
 * <p>Expected bad input (a missing directory, an unsupported rope type, a truncated safetensors file) is reported
 * with this type so that the CLI prints the message without a stack trace.
 */
public final class ModelLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with a complete one-line message. */
    public ModelLoadException(String message) {
        super(message);
    }

    /** An error with a complete one-line message, chaining the underlying cause. */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
