package dev.steeropt.core.model;

import dev.steeropt.errors.UserFacingException;

/**
 * A model folder, config or weight file that cannot be loaded, with a message that names the file, tensor or key at
 * fault, why it cannot work and what to do instead.
 *
 * <p>Expected bad input (a missing directory, an unsupported rope type, a truncated safetensors file) is reported
 * with this type; it is a {@link UserFacingException} of kind {@link Kind#BAD_INPUT}, so the CLI prints the one-line
 * message without a stack trace and exits with code 2.
 */
public final class ModelLoadException extends UserFacingException {
    private static final long serialVersionUID = 1L;

    /** An error with a complete one-line message. */
    public ModelLoadException(String message) {
        super(Kind.BAD_INPUT, message, null);
    }

    /** An error with a complete one-line message, chaining the underlying cause. */
    public ModelLoadException(String message, Throwable cause) {
        super(Kind.BAD_INPUT, message, cause);
    }
}
