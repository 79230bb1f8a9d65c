package dev.steeropt.eval.extraction;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalisation and equivalence of MATH-style LaTeX final answers.
 *
 * <p>{@link #normalize} rewrites common equivalent spellings to one form, in this order: unwrap {@code \boxed{}},
 * {@code \text{}}, {@code \textbf{}}, {@code \mbox{}}, {@code \mathrm{}}; drop line breaks, {@code \!}, {@code \,},
 * {@code \;}, {@code \:}, {@code \displaystyle}, {@code \left}/{@code \right}, {@code ^\circ}/{@code ^{\circ}},
 * {@code \$}/{@code $}, {@code \%}/{@code %}; {@code \dfrac}/{@code \tfrac} become {@code \frac}; a trailing unit word
 * after a number ({@code dollars}, {@code cm}, {@code degrees}, ...) is dropped; spaces are removed; {@code \frac12}
 * becomes {@code \frac{1}{2}} and {@code \sqrt3} becomes {@code \sqrt{3}}; {@code a/b} of two integers becomes
 * {@code \frac{a}{b}}; a short assignment {@code x=5} becomes {@code 5}; thousands separators in a pure integer are
 * removed; trailing full stops are stripped; a leading {@code .5} gains its zero.
 *
 * <p>{@link #equivalent} accepts equal normal forms, or two simple numbers with the same exact rational value (integers,
 * decimals, {@code \frac{a}{b}}, {@code a/b}, each optionally negative), so {@code 0.5 = \frac{1}{2} = 1/2}.
 */
public final class LatexAnswerNormalizer {
    private static final String[] WRAPPERS = {"\\boxed", "\\text", "\\textbf", "\\textnormal", "\\mbox", "\\mathrm"};
    private static final Pattern LEFT_RIGHT = Pattern.compile("\\\\(?:left|right)(?![a-zA-Z])");
    private static final Pattern CIRC = Pattern.compile("\\^\\s*\\{\\s*\\\\circ\\s*\\}|\\^\\s*\\\\circ");
    private static final Pattern UNITS = Pattern.compile("(?<=[0-9}.])\\s*(?:dollars?|cents?|degrees?|units?|"
            + "square units|sq units|square feet|square inches|square meters|square centimeters|cubic feet|"
            + "cubic inches|cubic centimeters|feet|foot|ft|inches|inch|in|cm|centimeters?|meters?|km|kilometers?|"
            + "miles?|mph|hours?|minutes?|seconds?|days?|weeks?|years?|pounds?|ounces?|cups?|gallons?|people|"
            + "students|ways|calories|marbles|cookies)(?:\\^\\{?[23]\\}?)?$");
    private static final Pattern SQRT_SHORT = Pattern.compile("\\\\sqrt([0-9a-zA-Z])");
    private static final Pattern FRAC_TWO_SHORT = Pattern.compile("\\\\frac([0-9a-zA-Z])([0-9a-zA-Z])");
    private static final Pattern FRAC_FIRST_SHORT = Pattern.compile("\\\\frac([0-9a-zA-Z])\\{");
    private static final Pattern FRAC_SECOND_SHORT = Pattern.compile("\\\\frac\\{([^{}]*)\\}([0-9a-zA-Z])");
    private static final Pattern SLASH_FRACTION = Pattern.compile("(-?[0-9]+)/([0-9]+)");
    private static final Pattern GROUPED_INTEGER = Pattern.compile("-?[0-9]{1,3}(?:,[0-9]{3})+");
    private static final Pattern SHORT_ASSIGNMENT = Pattern.compile("[a-zA-Z](?:_[0-9a-zA-Z])?=(.+)");
    private static final Pattern DECIMAL = Pattern.compile("(-?)([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)");
    private static final Pattern FRACTION =
            Pattern.compile("(-?)\\\\frac\\{(-?[0-9]+(?:\\.[0-9]+)?)\\}\\{(-?[0-9]+(?:\\.[0-9]+)?)\\}");

    private LatexAnswerNormalizer() {
    }

    /** The normal form described in the class comment; idempotent. */
    public static String normalize(String answer) {
        String s = answer.strip();
        for (String w : WRAPPERS) {
            s = unwrap(s, w);
        }
        s = s.replace("\n", "").replace("\\!", "").replace("\\,", "").replace("\\;", "").replace("\\:", "")
                .replace("\\displaystyle", "").replace("\\ ", " ").replace("~", " ");
        s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac");
        s = LEFT_RIGHT.matcher(s).replaceAll("");
        s = CIRC.matcher(s).replaceAll("");
        s = s.replace("\\$", "").replace("$", "").replace("\\%", "").replace("%", "");
        s = s.strip();
        s = stripTrailingDots(s);
        s = UNITS.matcher(s).replaceAll("");
        s = s.replace(" ", "").replace("\t", "");
        s = s.replace("{,}", ",");
        s = SQRT_SHORT.matcher(s).replaceAll("\\\\sqrt{$1}");
        s = FRAC_TWO_SHORT.matcher(s).replaceAll("\\\\frac{$1}{$2}");
        s = FRAC_FIRST_SHORT.matcher(s).replaceAll("\\\\frac{$1}{");
        s = FRAC_SECOND_SHORT.matcher(s).replaceAll("\\\\frac{$1}{$2}");
        Matcher assign = SHORT_ASSIGNMENT.matcher(s);
        if (assign.matches() && !assign.group(1).contains("=")) {
            s = assign.group(1);
        }
        if (GROUPED_INTEGER.matcher(s).matches()) {
            s = s.replace(",", "");
        }
        Matcher slash = SLASH_FRACTION.matcher(s);
        if (slash.matches()) {
            String num = slash.group(1);
            s = num.startsWith("-") ? "-\\frac{" + num.substring(1) + "}{" + slash.group(2) + "}"
                    : "\\frac{" + num + "}{" + slash.group(2) + "}";
        }
        s = stripTrailingDots(s);
        if (s.startsWith(".")) {
            s = "0" + s;
        } else if (s.startsWith("-.")) {
            s = "-0" + s.substring(1);
        }
        s = s.replace("{.", "{0.");
        return s;
    }

    /** True if both answers have the same normal form or the same exact rational value. */
    public static boolean equivalent(String predicted, String gold) {
        String p = normalize(predicted);
        String g = normalize(gold);
        if (p.equals(g)) {
            return true;
        }
        Optional<BigDecimal[]> pv = rational(p);
        Optional<BigDecimal[]> gv = rational(g);
        if (pv.isEmpty() || gv.isEmpty()) {
            return false;
        }
        // a/b == c/d  <=>  a*d == c*b (denominators are non-zero by construction)
        return pv.get()[0].multiply(gv.get()[1]).compareTo(gv.get()[0].multiply(pv.get()[1])) == 0;
    }

    /**
     * The value of a normalised simple number as {numerator, denominator}: an integer or decimal, or
     * {@code \frac{a}{b}} with numeric a and non-zero b, each optionally negative.
     */
    static Optional<BigDecimal[]> rational(String normalized) {
        Matcher d = DECIMAL.matcher(normalized);
        if (d.matches()) {
            BigDecimal v = new BigDecimal(d.group(2).endsWith(".") ? d.group(2) + "0" : d.group(2));
            return Optional.of(new BigDecimal[] {d.group(1).isEmpty() ? v : v.negate(), BigDecimal.ONE});
        }
        Matcher f = FRACTION.matcher(normalized);
        if (f.matches()) {
            BigDecimal num = new BigDecimal(f.group(2));
            BigDecimal den = new BigDecimal(f.group(3));
            if (den.signum() == 0) {
                return Optional.empty();
            }
            return Optional.of(new BigDecimal[] {f.group(1).isEmpty() ? num : num.negate(), den});
        }
        return Optional.empty();
    }

    /** Replaces every {@code \cmd{X}} by {@code X}, matching braces; an unclosed one is left as is. */
    static String unwrap(String s, String command) {
        String open = command + "{";
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (true) {
            int at = s.indexOf(open, from); // "\\text{" never matches "\\textbf{"
            if (at < 0) {
                out.append(s, from, s.length());
                return out.toString();
            }
            int brace = at + command.length();
            int close = BoxedAnswerExtractor.matchingBrace(s, brace);
            if (close < 0) {
                out.append(s, from, s.length());
                return out.toString();
            }
            out.append(s, from, at).append(unwrap(s.substring(brace + 1, close), command));
            from = close + 1;
        }
    }

    private static String stripTrailingDots(String s) {
        String t = s;
        while (t.endsWith(".") && !t.endsWith("\\.")) {
            t = t.substring(0, t.length() - 1).stripTrailing();
        }
        return t;
    }

}
