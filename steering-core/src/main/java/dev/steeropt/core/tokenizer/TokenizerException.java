package dev.steeropt.core.tokenizer;

import dev.steeropt.errors.UserFacingException;

/**
 * A tokenizer or chat template could not be loaded or used: a missing or malformed file, an unknown special token, or
 * a chat template that failed to render.
 *
 * <p>The message names the file or template and says what is wrong, why, and how to fix it; as a
 * {@link UserFacingException} of kind {@link Kind#BAD_INPUT} the CLI prints it as one line and exits with code 2. The
 * underlying I/O or parse error, if any, is chained as the cause.
 */
public final class TokenizerException extends UserFacingException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, why, and how to fix it
     */
    public TokenizerException(String message) {
        super(Kind.BAD_INPUT, message, null);
    }

    /**
     * @param message what went wrong, why, and how to fix it
     * @param cause   the underlying failure
     */
    public TokenizerException(String message, Throwable cause) {
        super(Kind.BAD_INPUT, message, cause);
    }
}
