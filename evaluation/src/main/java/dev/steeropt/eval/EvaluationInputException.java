package dev.steeropt.eval;

/**
 * Expected bad input to the evaluation module: a missing or malformed dataset file, a predictions file with a duplicate
 * id, an unknown dataset name. It carries the three parts a user needs: what is wrong, why it cannot work, and how to
 * fix it.
 *
 * <p>It is the user's input at fault: the CLI prints it as one {@code Error:} line and exits with
 * code 2, no stack trace. Library callers may read the parts separately through {@link #what()}, {@link #why()} and {@link #fix()}.
 */
public final class EvaluationInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String what;
    private final String why;
    private final String fix;

    /**
     * @param what  what is wrong, naming the offending file, line or value
     * @param why   why it cannot work
     * @param fix   what the user should do instead
     * @param cause the underlying exception, or {@code null}
     */
    public EvaluationInputException(String what, String why, String fix, Throwable cause) {
        super(what + (why == null || why.isBlank() ? "" : ": " + why.strip()) + (fix == null ? "" : ". " + fix.strip()), cause);
        this.what = what;
        this.why = why;
        this.fix = fix;
    }

    /** Same as {@link #EvaluationInputException(String, String, String, Throwable)} without a cause. */
    public EvaluationInputException(String what, String why, String fix) {
        this(what, why, fix, null);
    }

    /** What is wrong. */
    public String what() {
        return what;
    }

    /** Why it cannot work. */
    public String why() {
        return why;
    }

    /** How to fix it. */
    public String fix() {
        return fix;
    }
}
