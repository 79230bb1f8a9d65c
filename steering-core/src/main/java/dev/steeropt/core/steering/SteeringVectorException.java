package dev.steeropt.core.steering;

/**
 * A steering-vector file (safetensors or GGUF control vector) that cannot be used: what is wrong, why, and how to fix
 * it, in one line. It is the user's input at fault: the CLI prints the message as one {@code Error:} line and exits
 * with code 2.
 */
public final class SteeringVectorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param what  what is wrong, naming the file
     * @param why   why it cannot work
     * @param fix   what the user should do instead
     * @param cause the underlying failure, or {@code null}
     */
    public SteeringVectorException(String what, String why, String fix, Throwable cause) {
        super(what + (why == null || why.isBlank() ? "" : ": " + why.strip()) + (fix == null ? "" : ". " + fix.strip()), cause);
    }

    /** Same as {@link #SteeringVectorException(String, String, String, Throwable)} without a cause. */
    public SteeringVectorException(String what, String why, String fix) {
        this(what, why, fix, null);
    }
}
