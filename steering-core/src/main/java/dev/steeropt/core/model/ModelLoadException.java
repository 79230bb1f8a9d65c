package dev.steeropt.core.model;

/**
 * A model folder, config or weight file that cannot be loaded, with a one-line message that names the file, tensor
 * or key at fault, why it cannot work and what to do instead.
 *
 * <p>Expected bad input (a missing directory, an unsupported rope type, a truncated safetensors file) is reported
 * with this type. It is the user's input at fault: the CLI prints the message as one {@code Error:} line without a
 * stack trace and exits with code 2.
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
