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
 * The single test evaluation: the baseline and the best configuration on the same test items, with per-arm accuracy
 * and Wilson 95% CIs, the exact McNemar test on the discordant pairs, the paired-bootstrap 95% CI of the accuracy gain
 * and the minimum detectable effect at the observed discordance.
 *
 * <p>The gain isolates steering through common random numbers: the baseline arm is the best configuration with its
 * steering removed (α = 0, the same temperature and the same per-item sampling seeds), so a configuration that wins
 * only by sampling gains nothing. The unsteered greedy arm is reported beside it; when the best configuration is
 * greedy the two baselines are the same run.
 *
 * @param metric   the objective's metric (the other one is reported too)
 * @param baseline baseline settings: the best configuration at α = 0
 * @param best     best settings
 * @param base     baseline outcomes, in test order
 * @param steered  best-configuration outcomes, same items and order
 * @param greedy   unsteered greedy outcomes, same items and order ({@code base} itself when the best is greedy)
 * @param seed     bootstrap seed
 * @param seconds  wall time of every arm
 */
public record TestEvaluation(Metric metric, TrialConfig baseline, TrialConfig best, List<ItemOutcome> base,
        List<ItemOutcome> steered, List<ItemOutcome> greedy, long seed, double seconds) {

    public TestEvaluation {
        base = List.copyOf(base);
        steered = List.copyOf(steered);
        greedy = List.copyOf(greedy);
        if (base.isEmpty()) {
            throw new IllegalArgumentException("the test evaluation needs at least one item");
        }
        for (List<ItemOutcome> arm : List.of(steered, greedy)) {
            if (arm.size() != base.size()) {
                throw new IllegalArgumentException("arms must grade the same items: " + base.size() + " vs " + arm.size());
            }
            for (int i = 0; i < base.size(); i++) {
                if (!base.get(i).id().equals(arm.get(i).id())) {
                    throw new IllegalArgumentException("item " + i + " differs between arms: " + base.get(i).id()
                            + " vs " + arm.get(i).id());
                }
            }
        }
    }

    /**
     * The baseline arm of {@code best}: the same temperature and sampling (so the same per-item seeds draw the same
     * random numbers), no steering.
     */
    public static TrialConfig commonRandomNumbersBaseline(TrialConfig best) {
        return new TrialConfig(best.method(), best.layer(), 0.0, best.temperature(), best.topP());
    }

    /** True when the two baselines are one run: the best configuration decodes greedily. */
    public boolean baselineIsGreedy() {
        return baseline.temperature() == 0;
    }

    /**
     * Runs the arms on every chunk of {@code chunks} (prefilled prefixes shared by the arms): the baseline at α = 0
     * with the best configuration's sampling, the best configuration, and (when the best samples) the greedy
     * unsteered run.
     */
    static TestEvaluation run(ArmRunner runner, PromptChunks chunks, TrialConfig best, Metric metric, long seed,
            Progress progress) {
        long t0 = System.nanoTime();
        TrialConfig baseline = commonRandomNumbersBaseline(best);
        boolean greedyApart = baseline.temperature() != 0;
        List<ItemOutcome> base = new ArrayList<>();
        List<ItemOutcome> steered = new ArrayList<>();
        List<ItemOutcome> greedy = new ArrayList<>();
        int arms = greedyApart ? 3 : 2;
        progress.start("test evaluation (" + (greedyApart ? "baseline at the best's temperature, best, greedy baseline"
                : "baseline + best") + ", " + chunks.items() + " items each)", (long) arms * chunks.items());
        for (int c = 0; c < chunks.size(); c++) {
            List<ItemOutcome> b = runner.run(chunks, c, baseline);
            base.addAll(b);
            progress.advance(b.size());
            List<ItemOutcome> s = runner.run(chunks, c, best);
            steered.addAll(s);
            progress.advance(s.size());
            if (greedyApart) {
                List<ItemOutcome> g = runner.run(chunks, c, TrialConfig.baseline());
                greedy.addAll(g);
                progress.advance(g.size());
            }
        }
        return new TestEvaluation(metric, baseline, best, base, steered, greedyApart ? greedy : base, seed,
                (System.nanoTime() - t0) / 1e9);
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

    /** Accuracy of the unsteered greedy arm under the metric. */
    public Accuracy greedyAccuracy() {
        return Accuracy.of(correct(greedy, metric));
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
                TestSummary.Arm.of(best, steered, metric), TestSummary.Arm.of(TrialConfig.baseline(), greedy, metric),
                baselineIsGreedy() ? TestSummary.GREEDY : TestSummary.COMMON_RANDOM_NUMBERS,
                TestSummary.McNemar.of(mcNemar()), TestSummary.Gain.of(gain()),
                mde.isPresent() ? mde.getAsDouble() : null, seconds);
    }
}
