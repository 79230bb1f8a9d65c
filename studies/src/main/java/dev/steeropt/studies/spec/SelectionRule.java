package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.steeropt.studies.errors.UserFacingException;
import java.util.Locale;
import java.util.Objects;

/**
 * How a multi-objective study picks, before its search, the one configuration of the validation Pareto front that its
 * single test evaluation measures ({@code --select}); stored in the spec, so it cannot change on resume. The baseline is
 * the unsteered trial #0 on validation.
 *
 * @param kind  the rule
 * @param bound R of {@link Kind#MAX_ACCURACY_WITHIN_TOKENS} (a ratio, > 0), D of
 *              {@link Kind#MIN_TOKENS_WITHIN_ACCURACY} (accuracy points as a fraction, in [0, 1]); null for the knee
 */
public record SelectionRule(Kind kind, Double bound) {

    /** The rules. */
    public enum Kind implements WireName {
        /**
         * {@code knee}: both objectives normalised to [0, 1] over the front; the point farthest from the line between
         * the front's two extremes.
         */
        KNEE,
        /** {@code max-accuracy-within-tokens:R}: the highest accuracy with mean tokens <= R x the baseline's. */
        MAX_ACCURACY_WITHIN_TOKENS,
        /** {@code min-tokens-within-accuracy:D}: the fewest mean tokens with accuracy >= the baseline's − D. */
        MIN_TOKENS_WITHIN_ACCURACY;

        @Override
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public SelectionRule {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.KNEE ? bound != null : bound == null) {
            throw UserFacingException.usage("Invalid --select " + kind.wireName() + (bound == null ? "" : ":" + bound),
                    kind == Kind.KNEE ? "knee takes no bound" : kind.wireName() + " needs a bound",
                    EXAMPLES);
        }
        if (kind == Kind.MAX_ACCURACY_WITHIN_TOKENS && !(bound > 0 && Double.isFinite(bound))) {
            throw UserFacingException.usage("Invalid --select " + kind.wireName() + ":" + bound,
                    "R is a ratio of mean tokens to the baseline's and must be > 0", EXAMPLES);
        }
        if (kind == Kind.MIN_TOKENS_WITHIN_ACCURACY && !(bound >= 0 && bound <= 1)) {
            throw UserFacingException.usage("Invalid --select " + kind.wireName() + ":" + bound,
                    "D is an accuracy drop as a fraction (0.02 = 2 points) and must lie in [0, 1]", EXAMPLES);
        }
    }

    private static final String EXAMPLES = "Use --select knee, --select max-accuracy-within-tokens:0.8 or --select"
            + " min-tokens-within-accuracy:0.02.";

    /** The default rule: the knee. */
    public static SelectionRule knee() {
        return new SelectionRule(Kind.KNEE, null);
    }

    /** Parses {@code knee}, {@code max-accuracy-within-tokens:R} or {@code min-tokens-within-accuracy:D}. */
    @JsonCreator
    public static SelectionRule parse(String text) {
        String s = text == null ? "" : text.strip();
        int colon = s.indexOf(':');
        Kind kind = WireName.parse(Kind.class, "--select rule", colon < 0 ? s : s.substring(0, colon));
        Double bound = null;
        if (colon >= 0) {
            try {
                bound = Double.parseDouble(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw UserFacingException.usage("Invalid --select '" + text + "'", "the bound after ':' is not a number",
                        EXAMPLES);
            }
        }
        return new SelectionRule(kind, bound);
    }

    /** The rule as {@link #parse} reads it (its stored form). */
    @JsonValue
    @Override
    public String toString() {
        return bound == null ? kind.wireName() : kind.wireName() + ":" + bound;
    }
}
