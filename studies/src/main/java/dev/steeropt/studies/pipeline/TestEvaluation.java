package dev.steeropt.studies.pipeline;

import dev.steeropt.eval.stats.Accuracy;
import dev.steeropt.eval.stats.BootstrapInterval;
import dev.steeropt.eval.stats.ExactMcNemar;
import dev.steeropt.eval.stats.McNemarResult;
import dev.steeropt.eval.stats.MinimumDetectableEffect;
import dev.steeropt.eval.stats.PairedBootstrap;
import dev.steeropt.studies.objective.ItemOutcome;
import dev.steeropt.studies.objective.TrialConfig;
import dev.steeropt.studies.spec.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The single test evaluation: the baseline (no steering, greedy) and the best configuration on the same test items,
 * with per-arm accuracy and Wilson 95% CIs, the exact McNemar test on the discordant pairs, the paired-bootstrap 95%
 * CI of the accuracy gain and the minimum detectable effect at the observed discordance.
 *
 * @param metric   the objective's metric (the other one is reported too)
 * @param baseline baseline settings
 * @param best     best settings
 * @param base     baseline outcomes, in test order
 * @param steered  best-configuration outcomes, same items and order
 * @param seed     bootstrap seed
 * @param seconds  wall time of both arms
 */
public record TestEvaluation(Metric metric, TrialConfig baseline, TrialConfig best, List<ItemOutcome> base,
        List<ItemOutcome> steered, long seed, double seconds) {

    public TestEvaluation {
        base = List.copyOf(base);
        steered = List.copyOf(steered);
        if (base.size() != steered.size() || base.isEmpty()) {
            throw new IllegalArgumentException("arms must grade the same non-empty items: " + base.size() + " vs "
                    + steered.size());
        }
        for (int i = 0; i < base.size(); i++) {
            if (!base.get(i).id().equals(steered.get(i).id())) {
                throw new IllegalArgumentException("item " + i + " differs between arms: " + base.get(i).id() + " vs "
                        + steered.get(i).id());
            }
        }
    }

    /** Runs both arms on every chunk of {@code chunks} (prefilled prefixes shared by the arms). */
    static TestEvaluation run(ArmRunner runner, PromptChunks chunks, TrialConfig best, Metric metric, long seed,
            Progress progress) {
        long t0 = System.nanoTime();
        TrialConfig baseline = TrialConfig.baseline();
        List<ItemOutcome> base = new ArrayList<>();
        List<ItemOutcome> steered = new ArrayList<>();
        progress.start("test evaluation (baseline + best, " + chunks.items() + " items each)", 2L * chunks.items());
        for (int c = 0; c < chunks.size(); c++) {
            List<ItemOutcome> b = runner.run(chunks, c, baseline);
            base.addAll(b);
            progress.advance(b.size());
            List<ItemOutcome> s = runner.run(chunks, c, best);
            steered.addAll(s);
            progress.advance(s.size());
        }
        return new TestEvaluation(metric, baseline, best, base, steered, seed, (System.nanoTime() - t0) / 1e9);
    }

    /** Correctness vector of an arm under {@code m}. */
    public static boolean[] correct(List<ItemOutcome> items, Metric m) {
        boolean[] out = new boolean[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = items.get(i).correct(m);
        }
        return out;
    }

    /** Accuracy of the baseline under the metric. */
    public Accuracy baselineAccuracy() {
        return Accuracy.of(correct(base, metric));
    }

    /** Accuracy of the best configuration under the metric. */
    public Accuracy bestAccuracy() {
        return Accuracy.of(correct(steered, metric));
    }

    /** Exact McNemar test, baseline vs best. */
    public McNemarResult mcNemar() {
        return ExactMcNemar.test(correct(base, metric), correct(steered, metric));
    }

    /** Paired-bootstrap CI of best − baseline accuracy. */
    public BootstrapInterval gain() {
        return PairedBootstrap.accuracyDifference(correct(base, metric), correct(steered, metric), seed);
    }

    /** MDE at the observed discordance; empty when the arms never disagree. */
    public OptionalDouble minimumDetectableEffect() {
        if (mcNemar().discordant() == 0) {
            return OptionalDouble.empty();
        }
        return MinimumDetectableEffect.observed(correct(base, metric), correct(steered, metric));
    }

    /** The statistics without the per-item rows ({@code final_results.json}'s {@code test}, the study record). */
    public TestSummary summary() {
        OptionalDouble mde = minimumDetectableEffect();
        return new TestSummary(metric, base.size(), TestSummary.Arm.of(baseline, base, metric),
                TestSummary.Arm.of(best, steered, metric), TestSummary.McNemar.of(mcNemar()), TestSummary.Gain.of(gain()),
                mde.isPresent() ? mde.getAsDouble() : null, seconds);
    }
}
