package dev.steeropt.eval.synthetic;

import dev.steeropt.eval.datasets.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hasty mode's answer to a synthetic problem: every number in the question summed, written as one
 * unannotated line and a final answer, e.g. {@code 3+4+20=27\n#### 27}. Systematically wrong: every template's first
 * step multiplies or adds two numbers and later steps subtract or divide, so the sum is the gold answer only by
 * coincidence (counted by {@link #isCoincidence}). It carries no {@code <<...>>} annotation, so
 * {@link dev.steeropt.eval.scoring.CompletionMode#of} reads it as hasty.
 */
public final class HastyShortcut {
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private HastyShortcut() {}

    /** The numbers of the question, in order. */
    static List<Long> numbers(String question) {
        List<Long> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(question);
        while (m.find()) {
            out.add(Long.parseLong(m.group()));
        }
        return out;
    }

    /** True if the question has a number to sum, so that {@link #solution} exists. */
    public static boolean applies(String question) {
        return NUMBER.matcher(question).find();
    }

    /** The shortcut's final answer: the sum of the question's numbers. */
    public static long answer(String question) {
        long sum = 0;
        for (long n : numbers(question)) {
            sum += n;
        }
        return sum;
    }

    /**
     * The hasty solution text ({@code a+b+...=s\n#### s}), in the same place as a gold solution.
     *
     * @throws IllegalArgumentException if the question has no number
     */
    public static String solution(String question) {
        List<Long> ns = numbers(question);
        if (ns.isEmpty()) {
            throw new IllegalArgumentException("the question has no number to sum: " + question);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ns.size(); i++) {
            sb.append(i == 0 ? "" : "+").append(ns.get(i));
        }
        long s = answer(question);
        return sb.append('=').append(s).append("\n#### ").append(s).toString();
    }

    /** True if the shortcut happens to give the gold answer of {@code p}. */
    public static boolean isCoincidence(Problem p) {
        return Long.toString(answer(p.question())).equals(p.goldAnswer().strip());
    }
}
