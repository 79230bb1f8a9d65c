package dev.steeropt.eval.scoring;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The reasoning mode of one completion, decided by one rule used everywhere a mode is counted (the demo models'
 * training manifests, and later the probes' mode label and the tokens objective).
 *
 * <p>The rule, on the text before the first final-answer line {@code #### N}:
 * <ul>
 *   <li>no {@code #### N} line with a number: {@link #UNFINISHED} (the model never gave an answer);</li>
 *   <li>at least one GSM8K calculation annotation {@code <<expression=result>>} (an expression with an operator
 *       between two numbers, then {@code =} and a number): {@link #CAREFUL}, the answer carries the worked chain;</li>
 *   <li>otherwise: {@link #HASTY}, a final answer with no worked calculation (a bare guess or a shortcut such as
 *       {@code 3+4+20=27} written without annotation).</li>
 * </ul>
 * Correctness plays no part: a careful chain can end wrong and a hasty answer can be right (the rule reads the form,
 * the grader the number).
 */
public enum CompletionMode {
    /** Carries at least one annotated calculation before its final answer. */
    CAREFUL,
    /** A final answer with no annotated calculation before it. */
    HASTY,
    /** No {@code #### N} final answer. */
    UNFINISHED;

    /** {@code <<a op b ... = r>>}: numbers joined by + - * / (at least one operator), then = and a number. */
    private static final Pattern ANNOTATION =
            Pattern.compile("<<\\s*-?\\d+(?:\\.\\d+)?(?:\\s*[-+*/x]\\s*-?\\d+(?:\\.\\d+)?)+\\s*=\\s*-?\\d+(?:\\.\\d+)?\\s*>>");
    /** A final-answer line: {@code ####}, optional {@code $}, a number. */
    private static final Pattern FINAL = Pattern.compile("(?m)^\\s*####\\s*\\$?\\s*-?\\d");

    /** The mode of {@code completion} under the rule above. */
    public static CompletionMode of(String completion) {
        if (completion == null) {
            throw new IllegalArgumentException("completion must not be null");
        }
        java.util.regex.Matcher f = FINAL.matcher(completion);
        if (!f.find()) {
            return UNFINISHED;
        }
        return ANNOTATION.matcher(completion.substring(0, f.start())).find() ? CAREFUL : HASTY;
    }

    /** The lower-case name used in JSON and on the command line, e.g. {@code careful}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code label} (case-insensitive). */
    public static CompletionMode fromLabel(String label) {
        for (CompletionMode m : values()) {
            if (m.label().equalsIgnoreCase(label == null ? "" : label.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("mode must be careful, hasty or unfinished, got '" + label + "'");
    }
}
