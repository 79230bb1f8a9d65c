package dev.steeropt.studies.pipeline;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.steeropt.eval.stats.Accuracy;
import dev.steeropt.eval.stats.BootstrapInterval;
import dev.steeropt.eval.stats.McNemarResult;
import dev.steeropt.eval.stats.WilsonInterval;
import dev.steeropt.studies.objective.ItemOutcome;
import dev.steeropt.studies.objective.TrialConfig;
import dev.steeropt.studies.spec.Metric;
import java.util.List;
import java.util.Map;

/**
 * The test evaluation's statistics without the per-item rows: {@code final_results.json}'s {@code test} entry, what
 * {@code optimize} prints, and (as {@link Recorded}) the study's {@code steeropt:test_evaluation} attribute. Keys are
 * the snake_case forms of the component names, in component order.
 *
 * @param metric                  the objective's metric
 * @param nItems                  test items (each arm grades all of them)
 * @param baseline                the baseline arm: the best configuration at α = 0 (its temperature and per-item
 *                                sampling seeds: common random numbers), the arm the gain and McNemar compare with
 * @param best                    the best configuration's arm
 * @param greedyBaseline          the unsteered greedy arm (the same run as {@code baseline} when the best is greedy)
 * @param baselineKind            {@value #GREEDY} when the best configuration is greedy (one baseline run), else
 *                                {@value #COMMON_RANDOM_NUMBERS}
 * @param mcnemar                 exact McNemar test on the discordant pairs
 * @param gain                    paired-bootstrap CI of best − baseline accuracy
 * @param minimumDetectableEffect MDE at the observed discordance, null when the arms never disagree
 * @param seconds                 wall time of both arms
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TestSummary(Metric metric, int nItems, Arm baseline, Arm best, Arm greedyBaseline, String baselineKind,
        McNemar mcnemar, Gain gain, Double minimumDetectableEffect, double seconds) {

    /** {@link #baselineKind}: the best configuration is greedy, so its α = 0 arm is the greedy unsteered run. */
    public static final String GREEDY = "greedy";
    /** {@link #baselineKind}: the baseline samples at the best's temperature with the same per-item seeds. */
    public static final String COMMON_RANDOM_NUMBERS = "common_random_numbers";

    /**
     * One arm: its settings and its accuracy under both metrics, with Wilson 95% CIs.
     *
     * @param params              the arm's trial params
     * @param flexibleAccuracy    accuracy under the flexible rule
     * @param flexibleCi95        its Wilson 95% CI, [lower, upper]
     * @param strictAccuracy      accuracy under the strict rule
     * @param strictCi95          its Wilson 95% CI
     * @param correct             items correct under the objective's metric
     * @param meanGeneratedTokens mean generated tokens per item
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Arm(Map<String, Object> params, double flexibleAccuracy, List<Double> flexibleCi95,
            double strictAccuracy, List<Double> strictCi95, long correct, double meanGeneratedTokens) {

        static Arm of(TrialConfig config, List<ItemOutcome> items, Metric metric) {
            Accuracy flexible = Accuracy.of(TestEvaluation.correct(items, Metric.FLEXIBLE));
            Accuracy strict = Accuracy.of(TestEvaluation.correct(items, Metric.STRICT));
            return new Arm(config.toParams(), flexible.rate(), ci(flexible.ci95()), strict.rate(), ci(strict.ci95()),
                    Accuracy.of(TestEvaluation.correct(items, metric)).correct(),
                    items.stream().mapToInt(ItemOutcome::tokens).average().orElse(0));
        }

        private static List<Double> ci(WilsonInterval ci) {
            return List.of(ci.lower(), ci.upper());
        }
    }

    /**
     * The exact McNemar test.
     *
     * @param bBaselineOnly items only the baseline got right
     * @param cBestOnly     items only the best configuration got right
     * @param pValue        two-sided exact p
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record McNemar(int bBaselineOnly, int cBestOnly, double pValue) {
        static McNemar of(McNemarResult r) {
            return new McNemar(r.b(), r.c(), r.pValue());
        }
    }

    /**
     * The accuracy gain of the best configuration over the baseline.
     *
     * @param observed  best − baseline accuracy on the test items
     * @param ci95      paired-bootstrap 95% CI, [lower, upper]
     * @param resamples bootstrap resamples
     * @param seed      bootstrap seed
     */
    public record Gain(double observed, List<Double> ci95, int resamples, long seed) {
        static Gain of(BootstrapInterval g) {
            return new Gain(g.observed(), List.of(g.lower(), g.upper()), g.resamples(), g.seed());
        }
    }

    /**
     * The summary as the study records it: the summary's entries, then when, for which trial, and whether it was a
     * re-test.
     *
     * @param summary   the summary (its entries at the top level)
     * @param at        when the evaluation finished (ISO-8601)
     * @param bestTrial the evaluated trial's number
     * @param retest    true when the study had been evaluated before ({@code --allow-retest})
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Recorded(@JsonUnwrapped TestSummary summary, String at, int bestTrial, boolean retest) {}
}
