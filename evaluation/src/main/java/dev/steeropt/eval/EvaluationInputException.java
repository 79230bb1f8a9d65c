package dev.steeropt.eval;

import java.util.Objects;

/**
 * Expected bad input to the evaluation module: a missing or malformed dataset file, a predictions file with a duplicate
 * id, an unknown dataset name. It carries the three parts a user needs: what is wrong, why it cannot work, and how to
 * fix it.
 *
 * <p>The CLI translates this exception into its own user-facing error (exit code 2, no stack trace); library callers may
 * read the parts separately through {@link #what()}, {@link #why()} and {@link #fix()}.
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
        super(compose(what, why, fix), cause);
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

    private static String compose(String what, String why, String fix) {
        Objects.requireNonNull(what, "what");
        StringBuilder sb = new StringBuilder(what.strip());
        if (why != null && !why.isBlank()) {
            sb.append(": ").append(why.strip());
        }
        if (sb.charAt(sb.length() - 1) != '.') {
            sb.append('.');
        }
        if (fix != null && !fix.isBlank()) {
            sb.append(' ').append(fix.strip());
        }
        return sb.toString();
    }
}
