package dev.steeropt.optimizer.importance;

import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * PED-ANOVA (Watanabe et al., IJCAI 2023, with the conditional extension of Optuna 5): how much the distribution of
 * a parameter among the top {@code targetQuantile} of trials differs, in Pearson divergence, from its distribution
 * among the top {@code regionQuantile} (the "region"). Each distribution is a Parzen estimator with Scott's
 * bandwidth on a grid of at most 50 points per numerical parameter (log space for log parameters), one point per
 * choice for categoricals, plus a prior kernel of weight 1.
 *
 * <p>A parameter that only some trials have (conditional) is split into regimes by the distribution trials used for
 * it (absent is one regime); each regime with at least 2 region trials contributes
 * {@code alpha^2 / beta * divergence}, where alpha and beta are the regime's shares of the target and region trials,
 * and the sum is scaled by {@code (|target| / |region|)^2}. Defaults are Optuna's: target 0.1, region 1.0,
 * evaluated on the local (region) distribution. Immutable and thread-safe.
 */
public final class PedAnovaImportanceEvaluator implements ImportanceEvaluator {
    private static final int N_STEPS = 50;
    private static final double PRIOR_WEIGHT = 1.0;
    private static final int MIN_TRIALS_IN_REGIME = 2;
    private static final double PDF_FLOOR = 1e-12;

    private final double targetQuantile;
    private final double regionQuantile;
    private final boolean evaluateOnLocal;

    /** Optuna's defaults: target quantile 0.1, region quantile 1.0, local evaluation. */
    public PedAnovaImportanceEvaluator() {
        this(0.1, 1.0, true);
    }

    /** Throws {@link IllegalArgumentException} unless {@code 0 < targetQuantile < regionQuantile <= 1}. */
    public PedAnovaImportanceEvaluator(double targetQuantile, double regionQuantile, boolean evaluateOnLocal) {
        if (!(0.0 < targetQuantile && targetQuantile < regionQuantile && regionQuantile <= 1.0)) {
            throw new IllegalArgumentException("PED-ANOVA needs 0 < targetQuantile < regionQuantile <= 1, got "
                    + targetQuantile + " and " + regionQuantile);
        }
        this.targetQuantile = targetQuantile;
        this.regionQuantile = regionQuantile;
        this.evaluateOnLocal = evaluateOnLocal;
    }

    @Override
    public Map<String, Double> evaluate(List<FrozenTrial> allTrials, StudyDirection direction) {
        List<FrozenTrial> trials = ParamImportances.usable(allTrials);
        Set<String> params = new TreeSet<>();
        trials.forEach(t -> params.addAll(t.distributions().keySet()));
        Map<String, Double> importances = new LinkedHashMap<>();
        params.forEach(p -> importances.put(p, 0.0));
        if (trials.size() <= 1) {
            return importances;
        }
        boolean lowerIsBetter = direction != StudyDirection.MAXIMIZE;
        List<FrozenTrial> target = topQuantile(trials, targetQuantile, lowerIsBetter);
        List<FrozenTrial> region = topQuantile(trials, regionQuantile, lowerIsBetter);
        if (target.isEmpty()) {
            return importances;
        }
        Set<Long> targetIds = new HashSet<>();
        target.forEach(t -> targetIds.add(t.trialId()));
        double quantile = (double) target.size() / region.size();
        for (String param : params) {
            double sum = 0.0;
            for (Map.Entry<Distribution, List<FrozenTrial>> regime : regimes(param, region).entrySet()) {
                Distribution dist = regime.getKey();
                List<FrozenTrial> regionRegime = regime.getValue();
                List<FrozenTrial> targetRegime = regionRegime.stream()
                        .filter(t -> targetIds.contains(t.trialId())).toList();
                if (dist == null || dist.isSingle() || targetRegime.isEmpty()) {
                    continue;
                }
                double alpha = (double) targetRegime.size() / target.size();
                double beta = (double) regionRegime.size() / region.size();
                sum += alpha * alpha / beta * pearsonDivergence(param, dist, targetRegime, regionRegime);
            }
            importances.put(param, sum * quantile * quantile);
        }
        return ParamImportances.sortedByImportance(importances);
    }

    /** The trials whose value is at or better than the {@code quantile} cut-off (inverted-CDF quantile). */
    static List<FrozenTrial> topQuantile(List<FrozenTrial> trials, double quantile, boolean lowerIsBetter) {
        if (quantile == 1.0) {
            return trials;
        }
        double sign = lowerIsBetter ? 1.0 : -1.0;
        double[] losses = trials.stream().mapToDouble(t -> sign * t.value()).toArray();
        double[] sorted = losses.clone();
        Arrays.sort(sorted);
        double cutoff = sorted[(int) Math.ceil(quantile * losses.length) - 1];
        List<FrozenTrial> out = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            if (losses[i] <= cutoff) {
                out.add(trials.get(i));
            }
        }
        return out;
    }

    /** Trials grouped by the distribution they used for {@code param} ({@code null}: absent), small groups dropped. */
    private static Map<Distribution, List<FrozenTrial>> regimes(String param, List<FrozenTrial> trials) {
        Map<Distribution, List<FrozenTrial>> byDist = new LinkedHashMap<>();
        for (FrozenTrial t : trials) {
            byDist.computeIfAbsent(t.distributions().get(param), k -> new ArrayList<>()).add(t);
        }
        byDist.values().removeIf(v -> v.size() < MIN_TRIALS_IN_REGIME);
        return byDist;
    }

    private double pearsonDivergence(String param, Distribution dist, List<FrozenTrial> target,
            List<FrozenTrial> region) {
        double[] pdfTop = GridParzenEstimator.onGrid(param, dist, target, N_STEPS, PRIOR_WEIGHT).pdf();
        double[] pdfLocal = evaluateOnLocal
                ? GridParzenEstimator.onGrid(param, dist, region, N_STEPS, PRIOR_WEIGHT).pdf()
                : null;
        double divergence = 0.0;
        for (int g = 0; g < pdfTop.length; g++) {
            double top = pdfTop[g] + PDF_FLOOR;
            double local = pdfLocal == null ? 1.0 / pdfTop.length : pdfLocal[g] + PDF_FLOOR;
            double r = top / local - 1.0;
            divergence += local * r * r;
        }
        return divergence;
    }
}
