package dev.steeropt.studies.cli;

import java.util.Objects;

/**
 * Expected bad input, reported to the user as what went wrong, why, and how to fix it, without a stack trace.
 *
 * <p>The CLI prints {@link #getMessage()} (the three parts joined) to stderr and exits with {@link #exitCode()}:
 * {@code 2} for usage or configuration errors, {@code 1} for runtime failures. Library modules throw their own
 * domain exceptions; {@link Main} lists which of those are treated the same way.
 */
public final class UserFacingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit code for bad arguments, bad configuration or bad input files. */
    public static final int USAGE = 2;
    /** Exit code for a failure while doing the work. */
    public static final int RUNTIME = 1;

    private final int exitCode;

    private UserFacingException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /**
     * A usage or configuration error (exit code 2).
     *
     * @param what what is wrong, naming the offending value
     * @param why  why it cannot work
     * @param fix  what the user should do instead
     */
    public static UserFacingException usage(String what, String why, String fix) {
        return new UserFacingException(compose(what, why, fix), USAGE, null);
    }

    /** A runtime failure (exit code 1), chaining the underlying cause for {@code -v}. */
    public static UserFacingException runtime(String what, String why, String fix, Throwable cause) {
        return new UserFacingException(compose(what, why, fix), RUNTIME, cause);
    }

    /** The process exit code this error maps to. */
    public int exitCode() {
        return exitCode;
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
