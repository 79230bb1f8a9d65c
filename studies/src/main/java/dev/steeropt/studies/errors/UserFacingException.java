package dev.steeropt.studies.errors;

import dev.steeropt.core.model.ModelLoadException;
import dev.steeropt.core.steering.SteeringVectorException;
import dev.steeropt.core.tokenizer.TokenizerException;
import dev.steeropt.eval.EvaluationInputException;
import dev.steeropt.optimizer.storage.StorageException;
import java.util.Objects;
import java.util.Optional;

/**
 * An error the user can act on, reported as one line (what is wrong, why it cannot work, how to fix it) and an exit
 * code, without a stack trace.
 *
 * <p>The studies module throws this type; the other modules, which depend on no project module, throw their own
 * domain errors ({@link ModelLoadException}, {@link TokenizerException}, {@link SteeringVectorException},
 * {@link EvaluationInputException}, {@link StorageException}), and {@link #of(Throwable)} maps each of them to this
 * type, the one place that knows them all. The CLI prints {@code "Error: " + getMessage()} to stderr and exits with
 * {@link #exitCode()}. The
 * message never holds a line break: any the parts contain are folded into spaces here, so that one line is a
 * property of the type, not a convention of each throw site. It is also bounded: a quoted value of more than
 * {@value #MAX_WORD_CHARS} characters without a blank (a huge string from a malformed file) is shortened, and a
 * message above {@value #MAX_MESSAGE_CHARS} characters keeps its start (what is wrong) and its end (the fix).
 *
 * <p>The {@link Kind} says whose fault it is: {@link Kind#BAD_INPUT} (exit 2) for arguments, files and URLs the
 * user handed us; {@link Kind#WORLD} (exit 1) for failures while doing the work, such as a database server that does
 * not answer.
 */
public class UserFacingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit code for bad arguments, bad configuration or bad input files. */
    public static final int USAGE = Kind.BAD_INPUT.exitCode();
    /** Exit code for a failure while doing the work. */
    public static final int RUNTIME = Kind.WORLD.exitCode();

    /** The longest message: an error line quotes values, it does not reproduce the file. */
    public static final int MAX_MESSAGE_CHARS = 1_000;
    /** The longest run of non-blank characters kept whole (a path or a short quoted value). */
    public static final int MAX_WORD_CHARS = 200;

    private static final java.util.regex.Pattern LONG_WORD = java.util.regex.Pattern.compile("\\S{" + (MAX_WORD_CHARS + 1) + ",}");

    /** Whose fault an error is, which decides the exit code. */
    public enum Kind {
        /** The user's input (argument, file, URL) cannot work: exit code 2. */
        BAD_INPUT(2),
        /** The world failed while doing the work (a database that does not answer, a full disk): exit code 1. */
        WORLD(1);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        /** The process exit code of this kind. */
        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    /**
     * An error with a message already composed by the caller (folded to one line here).
     *
     * @param kind    whose fault it is
     * @param message what, why and how to fix, in one sentence or a few
     * @param cause   the underlying exception for {@code -v}, or {@code null}
     */
    protected UserFacingException(Kind kind, String message, Throwable cause) {
        super(oneLine(message), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * A usage or configuration error (exit code 2).
     *
     * @param what what is wrong, naming the offending value
     * @param why  why it cannot work
     * @param fix  what the user should do instead
     */
    public static UserFacingException usage(String what, String why, String fix) {
        return new UserFacingException(Kind.BAD_INPUT, compose(what, why, fix), null);
    }

    /** A usage or configuration error (exit code 2) chaining the underlying cause for {@code -v}. */
    public static UserFacingException usage(String what, String why, String fix, Throwable cause) {
        return new UserFacingException(Kind.BAD_INPUT, compose(what, why, fix), cause);
    }

    /** A runtime failure (exit code 1), chaining the underlying cause for {@code -v}. */
    public static UserFacingException runtime(String what, String why, String fix, Throwable cause) {
        return new UserFacingException(Kind.WORLD, compose(what, why, fix), cause);
    }

    /** Whose fault this error is. */
    public final Kind kind() {
        return kind;
    }

    /** The process exit code this error maps to. */
    public final int exitCode() {
        return kind.exitCode();
    }

    /**
     * "What: why. Fix": the parts joined into one message; {@code why} and {@code fix} may be {@code null} or blank.
     */
    public static String compose(String what, String why, String fix) {
        Objects.requireNonNull(what, "what");
        StringBuilder sb = new StringBuilder(what.strip());
        if (why != null && !why.isBlank()) {
            sb.append(": ").append(why.strip());
        }
        if (sb.length() == 0 || sb.charAt(sb.length() - 1) != '.') {
            sb.append('.');
        }
        if (fix != null && !fix.isBlank()) {
            sb.append(' ').append(fix.strip());
        }
        return sb.toString();
    }

    /**
     * The text with every run of line breaks (and the blanks around them) replaced by one space, long quoted values
     * shortened and the whole bounded by {@link #MAX_MESSAGE_CHARS}.
     */
    static String oneLine(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        String line = message.strip().replaceAll("\\s*\\R\\s*", " ");
        java.util.regex.Matcher m = LONG_WORD.matcher(line);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String word = m.group();
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(
                    word.substring(0, MAX_WORD_CHARS / 2) + "[... " + word.length() + " characters ...]"
                            + word.substring(word.length() - 3)));
        }
        m.appendTail(sb);
        line = sb.toString();
        if (line.length() > MAX_MESSAGE_CHARS) {
            int tail = MAX_MESSAGE_CHARS / 3;
            line = line.substring(0, MAX_MESSAGE_CHARS - tail - 5) + " ... " + line.substring(line.length() - tail);
        }
        return line;
    }

    /**
     * The user-facing form of an error, if it is one: this type itself, or a domain error of another module mapped
     * to its kind (model, tokenizer, steering-vector and evaluation input errors are bad input; a storage error is
     * bad input when {@link StorageException#isBadInput()}, else a failure of the world). Empty for anything else,
     * which is a bug.
     */
    public static Optional<UserFacingException> of(Throwable t) {
        if (t instanceof UserFacingException u) {
            return Optional.of(u);
        }
        if (t instanceof ModelLoadException || t instanceof TokenizerException || t instanceof SteeringVectorException
                || t instanceof EvaluationInputException) {
            return Optional.of(new UserFacingException(Kind.BAD_INPUT, t.getMessage(), t));
        }
        if (t instanceof StorageException s) {
            return Optional.of(new UserFacingException(s.isBadInput() ? Kind.BAD_INPUT : Kind.WORLD, s.getMessage(), s));
        }
        return Optional.empty();
    }
}
