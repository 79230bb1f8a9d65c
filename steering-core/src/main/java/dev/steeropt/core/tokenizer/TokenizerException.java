package dev.steeropt.core.tokenizer;

/**
 * A tokenizer file, tokenizer config or chat template that cannot be used, with a one-line message saying what went
 * wrong, why, and how to fix it. It is the user's input at fault: the CLI prints the message as one {@code Error:}
 * line and exits with code 2.
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
