package dev.steeropt.core.steering;

import dev.steeropt.core.hooks.HookHandle;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Zero-steering validation (steering-reference §8): in the production configuration (batched, left-padded, KV cache,
 * the same {@link SteeredGeneration} entry point), every method at strength 0 must reproduce the baseline bit for bit,
 * tokens and every step's logits. A control row at a non-zero strength must differ, which shows that the comparison
 * can fail.
 *
 * {@snippet :
 * ZeroSteeringCheck.Report r = ZeroSteeringCheck.run(model, prompts, vector, 16);
 * if (!r.passed()) throw new IllegalStateException("zero steering is not the baseline:\n" + r.table());
 * }
 */
public final class ZeroSteeringCheck {
    /** Strength of the control row, in the vector's α units. */
    public static final double CONTROL_ALPHA = 1.0;

    private ZeroSteeringCheck() {}

    /** Produces one arm's result; the default is {@link SteeredGeneration#generate}. */
    @FunctionalInterface
    public interface Runner {
        SteeredResult generate(LoadedModel model, PromptBatch prompts, SteeringMethod method, SteeredGeneration.Options options);
    }

    /**
     * One comparison against the baseline.
     *
     * @param method          {@code caa}, {@code dac} or {@code dac-seed-compat}
     * @param positions       steered positions ({@code from_last_prompt_token} for DAC, which fixes them)
     * @param alpha           strength (α, or α_max)
     * @param expectIdentical true for the zero rows, false for the control row
     * @param tokensIdentical every row's tokens equal the baseline's
     * @param maxAbsLogitDiff largest |Δ| over every row, step and vocabulary entry (∞ when token counts differ)
     */
    public record Row(String method, String positions, double alpha, boolean expectIdentical, boolean tokensIdentical,
            double maxAbsLogitDiff) {
        /** True if the row behaved as expected. */
        public boolean passed() {
            boolean identical = tokensIdentical && maxAbsLogitDiff == 0;
            return expectIdentical == identical;
        }
    }

    /**
     * All rows of one check.
     *
     * @param rows       zero rows first, then the control row (if any)
     * @param prompts    rows in the batch
     * @param maxNewTokens tokens generated per row
     */
    public record Report(List<Row> rows, int prompts, int maxNewTokens) {
        public Report {
            rows = List.copyOf(rows);
        }

        /** True if every row passed. */
        public boolean passed() {
            return rows.stream().allMatch(Row::passed);
        }

        /** A fixed-width table, one line per row. */
        public String table() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-16s %-23s %7s %-9s %-16s %-14s %s%n",
                    "method", "positions", "alpha", "expect", "tokens_identical", "max_abs_dlogit", "result"));
            for (Row r : rows) {
                sb.append(String.format(Locale.ROOT, "%-16s %-23s %7.3g %-9s %-16s %-14.6g %s%n", r.method(), r.positions(),
                        r.alpha(), r.expectIdentical() ? "identical" : "differs", r.tokensIdentical(), r.maxAbsLogitDiff(),
                        r.passed() ? "ok" : "MISMATCH"));
            }
            return sb.toString();
        }
    }

    /** Runs the check with the production entry point and a control row. */
    public static Report run(LoadedModel model, PromptBatch prompts, SteeringVector vector, int maxNewTokens) {
        return run(model, prompts, vector, maxNewTokens, true, SteeredGeneration::generate);
    }

    /**
     * Runs the check.
     *
     * @param vector       any vector of the model's d_model at the layer to check (α = 0 must make it irrelevant)
     * @param maxNewTokens greedy tokens per prompt (≥ 1)
     * @param control      add the non-zero control row, which must differ
     * @param runner       produces each arm (the baseline arm gets {@code null} as its method)
     */
    public static Report run(LoadedModel model, PromptBatch prompts, SteeringVector vector, int maxNewTokens, boolean control,
            Runner runner) {
        Objects.requireNonNull(vector, "vector");
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("the zero-steering check needs at least 1 new token, got " + maxNewTokens);
        }
        AlphaUnits units = vector.meanResidualNorm().isPresent() ? AlphaUnits.MEAN_RESIDUAL_NORM : AlphaUnits.RAW;
        SteeredGeneration.Options o = SteeredGeneration.Options.greedy(maxNewTokens).withRecordLogits(true);
        SteeredResult base = runner.generate(model, prompts, null, o);
        List<Row> rows = new ArrayList<>();
        for (SteerPositions pos : SteerPositions.values()) {
            rows.add(compare("caa", pos, 0, true, base, runner.generate(model, prompts, new SteeringMethod.Caa(vector, 0, pos, units), o)));
        }
        rows.add(compare("dac", SteerPositions.FROM_LAST_PROMPT_TOKEN, 0, true, base, runner.generate(model, prompts,
                new SteeringMethod.Dac(vector, 0, SteeringMethod.Dac.DEFAULT_TOP_P, KlMode.REFERENCE, false, units), o)));
        rows.add(compare("dac-seed-compat", SteerPositions.FROM_LAST_PROMPT_TOKEN, 0, true, base, runner.generate(model, prompts,
                new SteeringMethod.Dac(vector, 0, SteeringMethod.Dac.DEFAULT_TOP_P, KlMode.REFERENCE, true, units), o)));
        if (control) {
            double a = units == AlphaUnits.RAW ? CONTROL_ALPHA * Math.max(1.0, 1.0 / vector.norm()) : CONTROL_ALPHA;
            rows.add(compare("caa", SteerPositions.FROM_LAST_PROMPT_TOKEN, a, false, base, runner.generate(model, prompts,
                    new SteeringMethod.Caa(vector, a, SteerPositions.FROM_LAST_PROMPT_TOKEN, units), o)));
        }
        return new Report(rows, prompts.batchSize(), maxNewTokens);
    }

    /**
     * A runner for self-tests that breaks zero steering on purpose, as a buggy hook would: every steered arm (method
     * not null) gets {@code epsilon} added to the whole residual at the vector's layer, even at strength 0.
     */
    public static Runner faultInjecting(float epsilon) {
        return (model, prompts, method, options) -> {
            if (method == null) {
                return SteeredGeneration.generate(model, prompts, null, options);
            }
            try (HookHandle h = model.hooks().add(HookPoint.residPost(method.layer()), (x, ctx) -> x.add(epsilon))) {
                return SteeredGeneration.generate(model, prompts, method, options);
            }
        };
    }

    private static Row compare(String method, SteerPositions pos, double alpha, boolean expectIdentical, SteeredResult base,
            SteeredResult other) {
        boolean tokens = true;
        double max = 0;
        for (int r = 0; r < base.rows().size(); r++) {
            SteeredResult.Row a = base.rows().get(r);
            SteeredResult.Row b = other.rows().get(r);
            if (!Arrays.equals(a.tokens(), b.tokens())) {
                tokens = false;
            }
            List<float[]> la = a.logits();
            List<float[]> lb = b.logits();
            if (la.size() != lb.size()) {
                max = Double.POSITIVE_INFINITY;
            }
            for (int t = 0; t < Math.min(la.size(), lb.size()); t++) {
                float[] x = la.get(t);
                float[] y = lb.get(t);
                for (int i = 0; i < x.length; i++) {
                    double d = Math.abs((double) x[i] - y[i]);
                    if (d > max || Double.isNaN(d)) {
                        max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                    }
                }
            }
        }
        return new Row(method, pos.name().toLowerCase(Locale.ROOT), alpha, expectIdentical, tokens, max);
    }
}
