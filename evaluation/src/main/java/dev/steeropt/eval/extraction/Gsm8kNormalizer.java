package dev.steeropt.eval.extraction;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * GSM8K answer comparison with lm-evaluation-harness semantics plus a numeric check.
 *
 * <p>{@link #normalize} applies the harness's {@code regexes_to_ignore} in order ({@code ","}, {@code "\$"},
 * {@code "(?s).*#### "}, {@code "\.$"}) and then lower-cases ({@code ignore_case}). {@link #equivalent} compares the
 * normalised strings and, when both are plain decimal numbers, also their numeric values, so {@code 18}, {@code 18.0}
 * and {@code 18.00} match; {@code "1,234"} normalises to {@code 1234}.
 */
public final class Gsm8kNormalizer {
    private static final Pattern UP_TO_HASHES = Pattern.compile("(?s).*#### ");
    private static final Pattern TRAILING_DOT = Pattern.compile("\\.$");
    private static final Pattern DECIMAL = Pattern.compile("-?(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)");

    private Gsm8kNormalizer() {
    }

    /** The harness normalisation: drop {@code ,} and {@code $}, text up to {@code "#### "}, one trailing {@code .}. */
    public static String normalize(String answer) {
        String s = answer.replace(",", "").replace("$", "");
        s = UP_TO_HASHES.matcher(s).replaceAll("");
        s = TRAILING_DOT.matcher(s).replaceAll("");
        return s.toLowerCase(Locale.ROOT);
    }

    /**
     * The numeric value of a normalised answer, if it is a plain decimal number ({@code 18}, {@code -0.5}, {@code .5});
     * a dangling full stop such as {@code 1.} (left from {@code 1..}) is not a number, as in the harness.
     */
    public static Optional<BigDecimal> numericValue(String normalized) {
        String s = normalized.strip();
        if (!DECIMAL.matcher(s).matches()) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal(s));
    }

    /** True if the two answers are equal after {@link #normalize}, as strings or as numbers. */
    public static boolean equivalent(String predicted, String gold) {
        String p = normalize(predicted);
        String g = normalize(gold);
        if (p.equals(g)) {
            return true;
        }
        Optional<BigDecimal> pv = numericValue(p);
        Optional<BigDecimal> gv = numericValue(g);
        return pv.isPresent() && gv.isPresent() && pv.get().compareTo(gv.get()) == 0;
    }
}
