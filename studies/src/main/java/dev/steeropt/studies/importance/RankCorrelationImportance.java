package dev.steeropt.studies.importance;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.trial.FrozenTrial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * PLACEHOLDER until the optimizer module's PED-ANOVA evaluator is wired in: a parameter's importance is the share of
 * the objective's rank variance it explains alone: the squared Spearman correlation for a numeric parameter, the
 * correlation ratio (η², between-choice variance of the ranks over their total) for a categorical one; normalised to
 * sum 1. It ignores interactions, which PED-ANOVA and fANOVA do not.
 */
public final class RankCorrelationImportance implements ParamImportance {
    @Override
    public String name() {
        return "rank-correlation (placeholder)";
    }

    @Override
    public Map<String, Double> evaluate(List<FrozenTrial> completed, int objective) {
        Set<String> params = new TreeSet<>();
        if (!completed.isEmpty()) {
            params.addAll(completed.get(0).params().keySet());
            completed.forEach(t -> params.retainAll(t.params().keySet()));
        }
        double[] y = ranks(completed.stream().mapToDouble(t -> t.values().get(objective)).toArray());
        Map<String, Double> raw = new HashMap<>();
        for (String p : params) {
            boolean categorical = completed.get(0).distributions().get(p) instanceof CategoricalDistribution;
            double[] x = completed.stream().mapToDouble(t -> t.internalParam(p)).toArray();
            raw.put(p, categorical ? etaSquared(x, y) : square(pearson(ranks(x), y)));
        }
        double sum = raw.values().stream().mapToDouble(Double::doubleValue).sum();
        List<Map.Entry<String, Double>> sorted = new ArrayList<>(raw.entrySet());
        sorted.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Double> out = new LinkedHashMap<>();
        sorted.forEach(e -> out.put(e.getKey(), sum > 0 ? e.getValue() / sum : 0.0));
        return out;
    }

    private static double square(double v) {
        return Double.isNaN(v) ? 0 : v * v;
    }

    /** Average ranks (ties share their mean rank). */
    static double[] ranks(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        int i = 0;
        while (i < v.length) {
            int j = i;
            while (j + 1 < v.length && Double.compare(v[idx[j + 1]], v[idx[i]]) == 0) {
                j++;
            }
            double mean = (i + j) / 2.0;
            for (int k = i; k <= j; k++) {
                r[idx[k]] = mean;
            }
            i = j + 1;
        }
        return r;
    }

    static double pearson(double[] x, double[] y) {
        int n = x.length;
        if (n < 2) {
            return 0;
        }
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }

    static double etaSquared(double[] group, double[] y) {
        double my = Arrays.stream(y).average().orElse(0);
        Map<Double, double[]> sums = new HashMap<>(); // group -> {sum, count}
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            double[] s = sums.computeIfAbsent(group[i], g -> new double[2]);
            s[0] += y[i];
            s[1]++;
            total += (y[i] - my) * (y[i] - my);
        }
        double between = 0;
        for (double[] s : sums.values()) {
            double m = s[0] / s[1];
            between += s[1] * (m - my) * (m - my);
        }
        return total == 0 ? 0 : between / total;
    }
}
