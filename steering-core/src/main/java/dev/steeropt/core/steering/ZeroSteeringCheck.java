package dev.steeropt.core.steering;

import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.runtime.ForwardResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.runtime.PromptState;
import dev.steeropt.core.runtime.SamplingParams;
import dev.steeropt.core.steering.ZeroSteeringReport.Decoding;
import dev.steeropt.core.steering.ZeroSteeringReport.Expect;
import dev.steeropt.core.steering.ZeroSteeringReport.Reference;
import dev.steeropt.core.steering.ZeroSteeringReport.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Zero-steering validation (steering-reference §8): every method at strength 0, run through its real steering
 * machinery ({@link SteeredGeneration.Options#forceSteeredPath()}: hooks installed and called with {@code h + 0·v},
 * DAC's three KV caches computing D_t and α_t with α_max = 0), must reproduce the plain unsteered run bit for bit,
 * tokens and every step's logits.
 *
 * <p>The zero rows cover CAA at every {@link SteerPositions} mode, DAC and seed-compatible DAC; each at batch size
 * &gt; 1 (the given prompts, left-padded, rows of different lengths) and 1 (the first prompt alone); greedy and
 * seeded sampling (the plain run uses the same seed); from a fresh prefill and from a reused prompt prefix
 * ({@link PromptState}, keeping the steered block's input, so whole-prompt CAA resumes from that checkpoint through
 * {@code DecodeCall.resume}). Every row reports its hook calls; a row whose hooks never ran fails.
 *
 * <p>Controls, at strength {@link #CONTROL_ALPHA} (DAC: α_max {@link #DAC_CONTROL_FACTOR} times that, top_p 1, KL
 * sum): CAA and DAC must differ from the plain run (so the comparison can
 * fail), and CAA at each position mode and DAC steering the whole batch must equal each prompt steered alone within
 * {@link #BATCH_TOLERANCE} with the same tokens (bugs that scale with α, such as steering the wrong row, cannot show
 * at α = 0).
 *
 * {@snippet :
 * ZeroSteeringReport r = ZeroSteeringCheck.run(model, prompts, vector, 16);
 * if (!r.passed()) throw new IllegalStateException("zero steering is not the baseline:\n" + r.table());
 * }
 */
public final class ZeroSteeringCheck {
    /**
     * Strength of the CAA control rows in mean-residual-norm units (the added vector is as long as the mean residual
     * at the layer; a vector without that norm gets it measured on the checked prompts).
     */
    public static final double CONTROL_ALPHA = 1.0;
    /**
     * α_max of the DAC control rows, as a multiple of {@link #CONTROL_ALPHA}. The DAC controls also take the whole
     * vocabulary as nucleus (top_p 1) and the plain KL sum ({@link KlMode#SUM}): with the defaults, a confident model's
     * two nuclei are often the same single token, so D_t = α_t = 0 and the control could not show DAC steering (or
     * steering the wrong row) at all.
     */
    public static final double DAC_CONTROL_FACTOR = 2.0;
    /**
     * Largest |Δlogit| allowed between a prompt steered inside a left-padded batch and the same prompt steered alone:
     * the padded batch runs other matrix shapes, so float rounding may differ (the README lists the differences
     * measured); a steering bug moves logits by far more.
     */
    public static final double BATCH_TOLERANCE = 1e-4;
    /** Temperature of the sampled rows. */
    public static final float SAMPLING_TEMPERATURE = 1.0f;

    private ZeroSteeringCheck() {}

    /**
     * Settings of one check.
     *
     * @param maxNewTokens tokens per prompt (≥ 1)
     * @param seed         seed of the sampled rows (shared by the plain and the steered run)
     * @param fault        a fault to inject into the steered arms ({@link ZeroCheckFault#NONE} for a real check)
     */
    public record Settings(int maxNewTokens, long seed, ZeroCheckFault fault) {
        public Settings {
            if (maxNewTokens < 1) {
                throw new IllegalArgumentException("the zero-steering check needs at least 1 new token, got " + maxNewTokens);
            }
            Objects.requireNonNull(fault, "fault");
        }

        /** A real check with seed 0. */
        public static Settings of(int maxNewTokens) {
            return new Settings(maxNewTokens, 0, ZeroCheckFault.NONE);
        }
    }

    /** Runs the real check (no fault, seed 0). */
    public static ZeroSteeringReport run(LoadedModel model, PromptBatch prompts, SteeringVector vector, int maxNewTokens) {
        return run(model, prompts, vector, Settings.of(maxNewTokens));
    }

    /**
     * Runs the check.
     *
     * @param prompts the batch (rows of different lengths make the padded rows meaningful)
     * @param vector  any vector of the model's d_model at the layer to check (α = 0 must make it irrelevant)
     */
    public static ZeroSteeringReport run(LoadedModel model, PromptBatch prompts, SteeringVector vector, Settings s) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompts, "prompts");
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(s, "settings");
        AlphaUnits units = vector.meanResidualNorm().isPresent() ? AlphaUnits.MEAN_RESIDUAL_NORM : AlphaUnits.RAW;
        List<Row> rows = new ArrayList<>();
        List<PromptBatch> shapes = prompts.batchSize() > 1 ? List.of(prompts, PromptBatch.single(prompts.unpadded(0)))
                : List.of(prompts);
        SteeredResult greedyBase = null;
        for (Decoding decoding : Decoding.values()) {
            SteeredGeneration.Options plain = options(s, decoding);
            SteeredGeneration.Options steered = s.fault().apply(plain);
            for (PromptBatch batch : shapes) {
                SteeredResult base = SteeredGeneration.generate(model, batch, null, plain);
                if (decoding == Decoding.GREEDY && batch == prompts) {
                    greedyBase = base;
                }
                for (boolean reuse : new boolean[] {false, true}) {
                    PromptState prefix = reuse ? model.prefill(batch, s.maxNewTokens(), Set.of(vector.layer())) : null;
                    try {
                        for (SteeringMethod m : methods(vector, 0, units)) {
                            SteeredResult r = prefix == null ? SteeredGeneration.generate(model, batch, m, steered)
                                    : SteeredGeneration.generate(model, prefix, m, steered);
                            rows.add(row(m, batch.batchSize(), reuse, decoding, Expect.IDENTICAL, Reference.PLAIN_RUN, base, r, 0));
                        }
                    } finally {
                        if (prefix != null) {
                            prefix.close();
                        }
                    }
                }
            }
        }
        controls(model, prompts, vector, s, greedyBase, rows);
        return new ZeroSteeringReport(rows, prompts.batchSize(), s.maxNewTokens(), s.fault());
    }

    /**
     * The non-zero rows: steering must change the plain run, and a batch must equal its prompts steered alone.
     * {@code base} is the greedy plain run of {@code prompts}, which the zero rows already made; each steered batch
     * is generated once and serves both kinds of row.
     */
    private static void controls(LoadedModel model, PromptBatch prompts, SteeringVector vector, Settings s, SteeredResult base,
            List<Row> rows) {
        SteeringVector v = withMeanResidualNorm(model, prompts, vector);
        double a = CONTROL_ALPHA;
        SteeredGeneration.Options steered = s.fault().apply(options(s, Decoding.GREEDY));
        AlphaUnits units = AlphaUnits.MEAN_RESIDUAL_NORM;
        // CAA at every position mode and DAC (KL sum over the whole vocabulary, so its D_t is not 0): each steers the
        // batch once; CAA from the last prompt token and DAC must also differ from the plain run
        List<SteeringMethod> methods = new ArrayList<>();
        for (SteerPositions pos : SteerPositions.values()) {
            methods.add(new SteeringMethod.Caa(v, a, pos, units));
        }
        methods.add(new SteeringMethod.Dac(v, a * DAC_CONTROL_FACTOR, 1.0, KlMode.SUM, false, units));
        boolean severalRows = prompts.batchSize() > 1;
        for (SteeringMethod m : methods) {
            boolean mustDiffer = m instanceof SteeringMethod.Dac
                    || ((SteeringMethod.Caa) m).positions() == SteerPositions.FROM_LAST_PROMPT_TOKEN;
            if (!mustDiffer && !severalRows) {
                continue;
            }
            SteeredResult batched = SteeredGeneration.generate(model, prompts, m, steered);
            if (mustDiffer) {
                rows.add(row(m, prompts.batchSize(), false, Decoding.GREEDY, Expect.DIFFERENT, Reference.PLAIN_RUN,
                        base, batched, 0));
            }
            if (severalRows) {
                rows.add(batchVsSingle(model, prompts, m, steered, batched));
            }
        }
    }

    /** The steered batch against each of its prompts steered alone: same tokens, logits within the tolerance. */
    private static Row batchVsSingle(LoadedModel model, PromptBatch prompts, SteeringMethod m,
            SteeredGeneration.Options steered, SteeredResult batched) {
        List<SteeredResult.Row> alone = new ArrayList<>();
        for (int b = 0; b < prompts.batchSize(); b++) {
            SteeredResult one = SteeredGeneration.generate(model, PromptBatch.single(prompts.unpadded(b)), m, steered);
            SteeredResult.Row r = one.rows().get(0);
            alone.add(new SteeredResult.Row(b, r.tokens(), r.reason(), r.trace(), r.logits()));
        }
        SteeredResult single = new SteeredResult(alone, batched.method(), 0, 0);
        return row(m, prompts.batchSize(), false, Decoding.GREEDY, Expect.IDENTICAL, Reference.SINGLE_ROWS, single,
                batched, BATCH_TOLERANCE);
    }

    /**
     * The vector itself if it records its layer's mean residual norm; else a copy recording the mean L2 norm of
     * {@code blocks.{layer}.hook_resid_post} over the prompts' real tokens (one unhooked forward).
     */
    static SteeringVector withMeanResidualNorm(LoadedModel model, PromptBatch prompts, SteeringVector vector) {
        if (vector.meanResidualNorm().isPresent()) {
            return vector;
        }
        HookPoint p = HookPoint.residPost(vector.layer());
        ForwardResult f = model.forward(prompts, List.of(p), Transformer.Logits.LAST, HookSet.empty());
        float[] h = f.activation(p);
        int d = f.dModel();
        double sum = 0;
        int n = 0;
        for (int b = 0; b < prompts.batchSize(); b++) {
            for (int t = 0; t < prompts.width(); t++) {
                if (prompts.mask(b, t) == 0) {
                    continue;
                }
                double sq = 0;
                for (int i = 0, off = (b * prompts.width() + t) * d; i < d; i++) {
                    sq += (double) h[off + i] * h[off + i];
                }
                sum += Math.sqrt(sq);
                n++;
            }
        }
        return vector.withMetadata(SteeringVector.KEY_MEAN_RESIDUAL_NORM, Double.toString(sum / n));
    }

    /** CAA at every position mode, DAC, seed-compatible DAC, at strength {@code alpha}. */
    private static List<SteeringMethod> methods(SteeringVector v, double alpha, AlphaUnits units) {
        List<SteeringMethod> out = new ArrayList<>();
        for (SteerPositions pos : SteerPositions.values()) {
            out.add(new SteeringMethod.Caa(v, alpha, pos, units));
        }
        out.add(new SteeringMethod.Dac(v, alpha, SteeringMethod.Dac.DEFAULT_TOP_P, KlMode.REFERENCE, false, units));
        out.add(new SteeringMethod.Dac(v, alpha, SteeringMethod.Dac.DEFAULT_TOP_P, KlMode.REFERENCE, true, units));
        return out;
    }

    private static SteeredGeneration.Options options(Settings s, Decoding d) {
        SteeredGeneration.Options o = SteeredGeneration.Options.greedy(s.maxNewTokens()).withRecordLogits(true);
        return d == Decoding.GREEDY ? o : o.withSampling(SamplingParams.sample(SAMPLING_TEMPERATURE, 1f, 0, s.seed()));
    }

    private static Row row(SteeringMethod m, int batchSize, boolean reuse, Decoding d, Expect expect, Reference ref,
            SteeredResult reference, SteeredResult steered, double tolerance) {
        boolean tokens = true;
        double max = 0;
        for (int r = 0; r < reference.rows().size(); r++) {
            SteeredResult.Row a = reference.rows().get(r);
            SteeredResult.Row b = steered.rows().get(r);
            if (!Arrays.equals(a.tokens(), b.tokens())) {
                tokens = false;
            }
            max = Math.max(max, maxAbsDiff(a.logits(), b.logits()));
        }
        SteerPositions pos = m instanceof SteeringMethod.Caa c ? c.positions() : SteerPositions.FROM_LAST_PROMPT_TOKEN;
        List<List<SteeredResult.DacStep>> trace = new ArrayList<>();
        if (m instanceof SteeringMethod.Dac dac && !dac.seedCompat()) {
            for (SteeredResult.Row r : steered.rows()) {
                trace.add(r.trace());
            }
        }
        return new Row(m, pos, batchSize, reuse, d, expect, ref, steered.hookCalls(), tokens, max, tolerance, trace);
    }

    private static double maxAbsDiff(List<float[]> la, List<float[]> lb) {
        double max = la.size() == lb.size() ? 0 : Double.POSITIVE_INFINITY;
        for (int t = 0; t < Math.min(la.size(), lb.size()); t++) {
            float[] x = la.get(t);
            float[] y = lb.get(t);
            for (int i = 0; i < x.length; i++) {
                double d = Math.abs((double) x[i] - y[i]);
                if (Double.isNaN(d)) {
                    return Double.POSITIVE_INFINITY;
                }
                max = Math.max(max, d);
            }
        }
        return max;
    }
}
