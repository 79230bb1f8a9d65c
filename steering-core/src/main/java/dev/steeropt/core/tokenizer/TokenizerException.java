package dev.steeropt.core.tokenizer;

/**
 * A tokenizer or chat template could not be loaded or used: a missing or malformed file, an unknown special token, or
 * a chat template that failed to render.
 *
 * <p>The message names the file or template and says what is wrong, why, and how to fix it, so the CLI can print it
 * as is. The underlying I/O or parse error, if any, is chained as the cause.
 */
public final class TokenizerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, why, and how to fix it
     */
    public TokenizerException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, why, and how to fix it
     * @param cause   the underlying failure
     */
    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
