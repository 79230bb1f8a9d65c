package dev.steeropt.eval.datasets;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A problem's question with one of its numbers changed, and the gold solution and answer that follow from it: the
 * corrupted side of within-model activation patching (clean against corrupted prompts). Works on GSM8K-format
 * solutions, whose calculations are annotated {@code <<expr=result>>} and which end in {@code #### N}.
 *
 * <p>A number of the question that is an operand of some calculation is replaced, everywhere in the question, by
 * another number of the same digit count (so the prompt keeps its length in characters, and for most tokenizers in
 * tokens). The solution's calculations are then evaluated again, line by line, each old result standing for its new
 * value in the lines below, and the new final value is the corrupted gold answer. A change is kept only when every
 * recomputed result is a non-negative integer, no changed value is ambiguous (a number that is both in the question
 * and a result, or the result of two lines, is never changed) and the final answer differs from the clean one; a
 * problem with no such change gives {@link Optional#empty()}.
 *
 * <p>Deterministic: the number and its replacement are drawn from a {@link SplittableRandom} seeded by the seed and
 * the problem id, so the same (seed, problem) always gives the same corruption. Immutable and thread-safe.
 */
public final class QuestionCorruption {
    /** Draws of a replacement value per candidate number before the next candidate is tried. */
    static final int DRAWS_PER_NUMBER = 32;

    private static final Pattern INTEGER = Pattern.compile("(?<![\\d.,])\\d+(?![\\d,]|\\.\\d)");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\d.])\\d[\\d,]*(?:\\.\\d+)?(?![\\d])");
    private static final Pattern CALC = Pattern.compile("<<([^<>=]+)=([^<>]+)>>");
    private static final Pattern FINAL = Pattern.compile("####\\s*\\$?(-?\\d[\\d,]*(?:\\.\\d+)?)\\s*$");

    private final long seed;

    private QuestionCorruption(long seed) {
        this.seed = seed;
    }

    /** The corruption of {@code seed}. */
    public static QuestionCorruption seeded(long seed) {
        return new QuestionCorruption(seed);
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /**
     * The corrupted problem: same id, the changed question, the recomputed solution and answer, and metadata
     * {@code corrupted} = {@code "old->new"}; empty when no number of the question can be changed consistently.
     */
    public Optional<Problem> corrupt(Problem p) {
        String solution = p.goldSolution();
        Matcher fin = FINAL.matcher(solution.stripTrailing());
        if (!fin.find()) {
            return Optional.empty();
        }
        List<String> operands = new ArrayList<>();
        List<String> results = new ArrayList<>();
        Matcher c = CALC.matcher(solution);
        while (c.find()) {
            Matcher n = NUMBER.matcher(c.group(1));
            while (n.find()) {
                operands.add(canonical(n.group()));
            }
            results.add(canonical(c.group(2)));
        }
        Set<String> inQuestion = new HashSet<>();
        LinkedHashSet<String> candidates = new LinkedHashSet<>();
        Matcher q = INTEGER.matcher(p.question());
        while (q.find()) {
            inQuestion.add(canonical(q.group()));
            // a number that is also a result would be ambiguous in the lines below: which one changed?
            if (operands.contains(canonical(q.group())) && !results.contains(canonical(q.group()))) {
                candidates.add(q.group());
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stableHash(p.id()));
        List<String> order = new ArrayList<>(candidates);
        for (int i = order.size() - 1; i > 0; i--) {
            java.util.Collections.swap(order, i, r.nextInt(i + 1));
        }
        for (String old : order) {
            for (int draw = 0; draw < DRAWS_PER_NUMBER; draw++) {
                String replacement = sameDigits(old, r);
                if (replacement.equals(old)) {
                    continue;
                }
                Optional<String[]> redone = recompute(solution, canonical(old), replacement, inQuestion, results);
                if (redone.isPresent() && !redone.get()[1].equals(canonical(p.goldAnswer()))) {
                    Map<String, String> meta = new HashMap<>(p.metadata());
                    meta.put("corrupted", old + "->" + replacement);
                    return Optional.of(new Problem(p.id(), replaceAll(p.question(), old, replacement), redone.get()[0],
                            redone.get()[1], meta));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The solution with {@code old} replaced and every calculation redone, and its final answer; empty if a result is
     * not a non-negative integer, or a changed result's old value is ambiguous (also a number of the question, or the
     * result of another line), since the lines below could not tell which one they use.
     */
    private static Optional<String[]> recompute(String solution, String old, String replacement, Set<String> inQuestion,
            List<String> allResults) {
        Map<String, String> subs = new HashMap<>();
        subs.put(old, replacement);
        StringBuilder out = new StringBuilder();
        String answer = null;
        for (String line : solution.split("\n", -1)) {
            Matcher fin = FINAL.matcher(line);
            if (fin.find()) {
                answer = subs.getOrDefault(canonical(fin.group(1)), canonical(fin.group(1)));
            }
            Map<String, String> results = new HashMap<>();
            Matcher c = CALC.matcher(line);
            while (c.find()) {
                BigDecimal v;
                try {
                    v = Expression.evaluate(substitute(c.group(1), subs));
                } catch (IllegalArgumentException | ArithmeticException e) {
                    return Optional.empty();
                }
                if (v.signum() < 0 || v.stripTrailingZeros().scale() > 0) {
                    return Optional.empty();
                }
                String now = v.toBigIntegerExact().toString();
                String was = canonical(c.group(2));
                if (!now.equals(was)) {
                    if (inQuestion.contains(was) || allResults.indexOf(was) != allResults.lastIndexOf(was)) {
                        return Optional.empty();
                    }
                    results.put(was, now);
                }
            }
            subs.putAll(results);
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(substitute(line, subs));
        }
        return answer == null ? Optional.empty() : Optional.of(new String[] {out.toString(), answer});
    }

    /** Every number of {@code text} that has a substitute replaced by it. */
    private static String substitute(String text, Map<String, String> subs) {
        Matcher n = NUMBER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (n.find()) {
            n.appendReplacement(sb, Matcher.quoteReplacement(subs.getOrDefault(canonical(n.group()), n.group())));
        }
        n.appendTail(sb);
        return sb.toString();
    }

    private static String replaceAll(String question, String old, String replacement) {
        Matcher n = INTEGER.matcher(question);
        StringBuilder sb = new StringBuilder();
        while (n.find()) {
            n.appendReplacement(sb, n.group().equals(old) ? replacement : n.group());
        }
        n.appendTail(sb);
        return sb.toString();
    }

    /** Another non-negative integer of the same digit count (1–9 for one digit). */
    private static String sameDigits(String old, SplittableRandom r) {
        int digits = old.length();
        if (digits == 1) {
            return Integer.toString(1 + r.nextInt(9));
        }
        long lo = (long) Math.pow(10, digits - 1);
        return Long.toString(r.nextLong(lo, lo * 10));
    }

    private static String canonical(String number) {
        String plain = number.replace(",", "");
        try {
            return new BigDecimal(plain).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return plain;
        }
    }

    private static long stableHash(String s) {
        long h = 1125899906842597L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = 31 * h + b;
        }
        return h;
    }

    /** Arithmetic of GSM8K's calculation annotations: numbers, + − * / (× ÷ x), parentheses, unary minus. */
    static final class Expression {
        private final String s;
        private int at;

        private Expression(String s) {
            this.s = s.replace(",", "").replace(" ", "").replace('×', '*').replace('÷', '/');
        }

        static BigDecimal evaluate(String expr) {
            Expression e = new Expression(expr);
            BigDecimal v = e.sum();
            if (e.at != e.s.length()) {
                throw new IllegalArgumentException("unexpected '" + e.s.charAt(e.at) + "' in " + expr);
            }
            return v;
        }

        private BigDecimal sum() {
            BigDecimal v = product();
            while (at < s.length() && (s.charAt(at) == '+' || s.charAt(at) == '-')) {
                char op = s.charAt(at++);
                BigDecimal w = product();
                v = op == '+' ? v.add(w) : v.subtract(w);
            }
            return v;
        }

        private BigDecimal product() {
            BigDecimal v = factor();
            while (at < s.length() && (s.charAt(at) == '*' || s.charAt(at) == '/' || s.charAt(at) == 'x')) {
                char op = s.charAt(at++);
                BigDecimal w = factor();
                v = op == '/' ? v.divide(w, MathContext.DECIMAL64) : v.multiply(w);
            }
            return v;
        }

        private BigDecimal factor() {
            if (at < s.length() && s.charAt(at) == '-') {
                at++;
                return factor().negate();
            }
            if (at < s.length() && s.charAt(at) == '(') {
                at++;
                BigDecimal v = sum();
                if (at >= s.length() || s.charAt(at) != ')') {
                    throw new IllegalArgumentException("unbalanced parenthesis in " + s);
                }
                at++;
                return v;
            }
            int from = at;
            while (at < s.length() && (Character.isDigit(s.charAt(at)) || s.charAt(at) == '.')) {
                at++;
            }
            if (from == at) {
                throw new IllegalArgumentException("expected a number at " + from + " in " + s);
            }
            return new BigDecimal(s.substring(from, at));
        }
    }
}
