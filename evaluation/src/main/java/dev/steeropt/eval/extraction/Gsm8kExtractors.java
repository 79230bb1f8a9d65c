package dev.steeropt.eval.extraction;

import java.util.regex.Pattern;

/**
 * The two lm-evaluation-harness {@code gsm8k} filters.
 *
 * <ul>
 *   <li>{@link #STRICT}: the first {@code #### (\-?[0-9\.\,]+)} ("strict-match").</li>
 *   <li>{@link #FLEXIBLE}: the last match of {@code (-?[$0-9.,]{2,})|(-?[0-9]+)} ("flexible-extract"); a completion
 *       without any digit-like token gives nothing.</li>
 * </ul>
 */
public final class Gsm8kExtractors {
    /** Strict {@code #### N}, first match. */
    public static final AnswerExtractor STRICT = new RegexExtractor(Pattern.compile("#### (\\-?[0-9\\.\\,]+)"), 0);
    /** Flexible last number-like token. */
    public static final AnswerExtractor FLEXIBLE =
            new RegexExtractor(Pattern.compile("(-?[$0-9.,]{2,})|(-?[0-9]+)"), -1);

    private Gsm8kExtractors() {
    }
}
