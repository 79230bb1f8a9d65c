package dev.steeropt.studies.analysis.variability;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.steeropt.studies.analysis.reads.Completion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Token-count variability of K sampled completions per problem (the RL-vs-SFT paper's measure): per problem the mean,
 * sample SD and coefficient of variation (SD / mean) of the generated token counts, pass@1 (the share of the K
 * samples graded correct) and the majority vote (the most frequent extracted answer, ties to the one seen first,
 * correct when a sample with that answer was graded correct); per model their means, and the Pearson correlation of
 * the per-problem CV with pass@1.
 */
public final class TokenVariability {
    private TokenVariability() {}

    /** One problem's K samples. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Problem(String id, int samples, double meanTokens, double sdTokens, double cv, double passAt1,
            String majorityAnswer, boolean majorityCorrect) {}

    /** One model's summary and problems. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Model(String model, double meanTokens, double meanCv, double passAt1, double majorityAccuracy,
            double cvPassAt1Pearson, List<Bin> cvBins, List<Problem> problems) {}

    /** Problems binned by CV quartile: the CV range and the bin's mean pass@1. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Bin(String label, double cvLow, double cvHigh, int problems, double passAt1) {}

    /**
     * @param completions K samples per problem, problem by problem (as {@code Completions.sampled} returns them)
     * @param k           samples per problem (≥ 2 for an SD)
     */
    public static Model of(String model, List<Completion> completions, int k) {
        if (k < 2 || completions.size() % k != 0) {
            throw new IllegalArgumentException(completions.size() + " completions are not whole groups of k = " + k + " (k >= 2)");
        }
        List<Problem> problems = new ArrayList<>();
        for (int from = 0; from < completions.size(); from += k) {
            problems.add(problem(completions.subList(from, from + k)));
        }
        double[] cv = problems.stream().mapToDouble(Problem::cv).toArray();
        double[] pass = problems.stream().mapToDouble(Problem::passAt1).toArray();
        return new Model(model, mean(problems.stream().mapToDouble(Problem::meanTokens).toArray()), mean(cv), mean(pass),
                problems.stream().filter(Problem::majorityCorrect).count() / (double) problems.size(), pearson(cv, pass),
                bins(problems), problems);
    }

    static Problem problem(List<Completion> samples) {
        double[] len = samples.stream().mapToDouble(Completion::length).toArray();
        double m = mean(len);
        double ss = 0;
        for (double v : len) {
            ss += (v - m) * (v - m);
        }
        double sd = Math.sqrt(ss / (len.length - 1));
        Map<String, Integer> votes = new LinkedHashMap<>();
        Map<String, Boolean> right = new LinkedHashMap<>();
        int correct = 0;
        for (Completion c : samples) {
            correct += c.correct() ? 1 : 0;
            if (c.answer() != null) {
                votes.merge(c.answer(), 1, Integer::sum);
                right.merge(c.answer(), c.correct(), Boolean::logicalOr);
            }
        }
        String majority = null;
        int best = 0;
        for (Map.Entry<String, Integer> e : votes.entrySet()) {
            if (e.getValue() > best) {
                best = e.getValue();
                majority = e.getKey();
            }
        }
        return new Problem(samples.get(0).problem().id(), samples.size(), m, sd, m == 0 ? 0 : sd / m,
                correct / (double) samples.size(), majority, majority != null && right.get(majority));
    }

    /** Quartile bins of CV (fewer when CVs tie), each with its mean pass@1. */
    static List<Bin> bins(List<Problem> problems) {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(java.util.Comparator.comparingDouble(Problem::cv));
        List<Bin> out = new ArrayList<>();
        int n = sorted.size();
        for (int q = 0; q < 4; q++) {
            int from = q * n / 4;
            int to = (q + 1) * n / 4;
            if (to <= from) {
                continue;
            }
            List<Problem> part = sorted.subList(from, to);
            double lo = part.get(0).cv();
            double hi = part.get(part.size() - 1).cv();
            out.add(new Bin(String.format(java.util.Locale.ROOT, "Q%d CV %.2f-%.2f", q + 1, lo, hi), lo, hi, part.size(),
                    mean(part.stream().mapToDouble(Problem::passAt1).toArray())));
        }
        return out;
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return x.length == 0 ? Double.NaN : s / x.length;
    }

    /** Pearson's r; 0 when either side is constant (no linear association can be measured). */
    static double pearson(double[] x, double[] y) {
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }
}
