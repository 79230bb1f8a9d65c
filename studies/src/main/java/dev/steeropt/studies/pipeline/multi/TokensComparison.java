package dev.steeropt.studies.pipeline.multi;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.steeropt.eval.stats.PairedMeanDifference;
import dev.steeropt.studies.objective.ItemOutcome;
import dev.steeropt.studies.pipeline.TestEvaluation;
import java.util.List;

/**
 * The tokens objective on the test split: the mean generated tokens of the baseline arm (the tested configuration at
 * α = 0, common random numbers) and of the configuration, and the reduction {@code baseline − configuration} with a
 * paired t-test and a paired-bootstrap 95% CI ({@link PairedMeanDifference}).
 *
 * @param baselineMeanTokens mean generated tokens of the baseline arm
 * @param meanTokens         mean generated tokens of the tested configuration
 * @param reduction          baseline − configuration (positive: the configuration is shorter)
 * @param reductionCi95      paired-bootstrap 95% CI of the reduction, [lower, upper]
 * @param relativeReduction  reduction / baseline mean (NaN when the baseline generated nothing)
 * @param t                  paired t statistic of configuration − baseline
 * @param pValue             its two-sided p
 * @param resamples          bootstrap resamples
 * @param seed               bootstrap seed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TokensComparison(double baselineMeanTokens, double meanTokens, double reduction,
        List<Double> reductionCi95, double relativeReduction, double t, double pValue, int resamples, long seed) {

    /** The comparison of the two arms of {@code test}. */
    static TokensComparison of(TestEvaluation test) {
        double[] base = tokens(test.base());
        double[] steered = tokens(test.steered());
        PairedMeanDifference d = PairedMeanDifference.of(base, steered, test.seed());
        double baseMean = java.util.Arrays.stream(base).average().orElseThrow();
        return new TokensComparison(baseMean, java.util.Arrays.stream(steered).average().orElseThrow(), -d.observed(),
                List.of(-d.upper(), -d.lower()), baseMean == 0 ? Double.NaN : -d.observed() / baseMean,
                Double.isFinite(d.t()) ? d.t() : d.t() > 0 ? Double.MAX_VALUE : d.t() < 0 ? -Double.MAX_VALUE : 0,
                d.pValue(), d.resamples(), d.seed());
    }

    private static double[] tokens(List<ItemOutcome> items) {
        return items.stream().mapToDouble(ItemOutcome::tokens).toArray();
    }
}
