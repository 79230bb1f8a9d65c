package dev.steeropt.core.steering.dac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.steeropt.core.hooks.Hook;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.runtime.sampling.TokenSampler;
import dev.steeropt.core.steering.AlphaUnits;
import dev.steeropt.core.steering.KlMode;
import dev.steeropt.core.steering.SteeredGeneration;
import dev.steeropt.core.steering.SteeredResult;
import dev.steeropt.core.steering.SteeredResult.DacStep;
import dev.steeropt.core.steering.SteeringMethod;
import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.core.testing.Fixture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DAC (steering-reference §2.4) on the tiny llama fixture, against an uncached reference written here: every step
 * recomputes the whole sequence with plain forwards, adding α at each steered position id with its own hook, and
 * computes the truncated KL with a separate sort-based implementation. Tolerance: α_t within 1e-4 (float32 drift of
 * a batched, cached forward against single-row full forwards), tokens identical.
 */
class DacDecoderTest {
    private static final double TOL = 1e-4;
    private static final int LAYER = 1;
    private static LoadedModel model;
    private static SteeringVector vector;

    @BeforeAll
    static void load() {
        model = LoadedModel.load(Fixture.modelDir("tiny-llama-fp32"));
        SplittableRandom r = new SplittableRandom(21);
        float[] v = new float[64];
        for (int i = 0; i < 64; i++) {
            v[i] = (float) r.nextGaussian();
        }
        vector = SteeringVector.of(LAYER, v, Map.of(SteeringVector.KEY_MEAN_RESIDUAL_NORM, "6.0"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static final List<int[]> PROMPTS = List.of(new int[] {5, 17, 301, 42, 9, 77, 120}, new int[] {88, 3, 250},
            new int[] {12, 400, 61, 7, 33});

    static PromptBatch batch() {
        return PromptBatch.leftPad(PROMPTS, 0);
    }

    /** Adds {@code alpha(positionId) · d} at every real token of a plain forward. */
    record PositionAlpha(float[] direction, IntToDoubleFunction alpha) implements Hook {
        @Override
        public NDArray apply(NDArray h, dev.steeropt.core.hooks.HookContext ctx) {
            int b = ctx.batchSize();
            int s = ctx.seqLen();
            float[] a = new float[b * s];
            for (int r = 0; r < b; r++) {
                for (int t = 0; t < s; t++) {
                    a[r * s + t] = ctx.isPad(r, t) ? 0f : (float) alpha.applyAsDouble(ctx.positionId(r, t));
                }
            }
            NDArray v = ctx.manager().create(direction);
            return h.add(ctx.manager().create(a, new Shape(b, s, 1)).mul(v));
        }
    }

    private static float[] lastLogits(int[] seq, Hook hook) {
        HookSet hs = hook == null ? HookSet.empty() : HookSet.of(HookPoint.residPost(LAYER), hook);
        return model.forward(PromptBatch.single(seq), List.of(), Transformer.Logits.LAST, hs).logits();
    }

    /** Truncated KL written independently: full sort, cumulative sums, keep up to the first crossing of p. */
    static DacStep referenceKl(float[] zu, float[] zp, double p, KlMode mode, double alphaMax) {
        double[] u = softmax(zu);
        double[] q = softmax(zp);
        boolean[] s = new boolean[zu.length];
        for (double[] dist : new double[][] {u, q}) {
            Integer[] idx = new Integer[dist.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> -dist[i]).thenComparingInt(i -> i));
            double before = 0;
            for (int i : idx) {
                if (before > p) {
                    break;
                }
                s[i] = true;
                before += dist[i];
            }
        }
        double zuS = 0;
        double zpS = 0;
        int size = 0;
        for (int i = 0; i < s.length; i++) {
            if (s[i]) {
                zuS += u[i];
                zpS += q[i];
                size++;
            }
        }
        double kl = 0;
        for (int i = 0; i < s.length; i++) {
            if (s[i] && u[i] > 0) {
                double un = u[i] / zuS;
                kl += un * Math.log(un / (q[i] / zpS));
            }
        }
        double d = mode == KlMode.REFERENCE ? kl / size : kl;
        return new DacStep(d, Math.max(0, Math.min(alphaMax, d)), size);
    }

    private static double[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : z) {
            max = Math.max(max, x);
        }
        double sum = 0;
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = Math.exp(z[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < z.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    /** The reference code's loop: no KV cache, three full forwards per step, greedy. */
    static List<Object[]> uncached(int[] prompt, SteeringMethod.Dac m, int maxNew) {
        float[] d = m.units().direction(m.vector());
        int n = prompt.length;
        List<Double> alphas = new ArrayList<>();
        List<Object[]> steps = new ArrayList<>();
        int[] seq = prompt.clone();
        for (int t = 0; t < maxNew; t++) {
            float[] zu = lastLogits(seq, null);
            float[] zp = lastLogits(seq, new PositionAlpha(d, pos -> pos >= n - 1 ? (float) m.alphaMax() : 0f));
            DacStep st = referenceKl(zu, zp, m.topP(), m.klMode(), m.alphaMax());
            alphas.add(st.alpha());
            float[] zs = lastLogits(seq, new PositionAlpha(d, pos -> pos >= n - 1 ? (float) (double) alphas.get(pos - (n - 1)) : 0f));
            int next = TokenSampler.argmax(zs, 0, zs.length);
            steps.add(new Object[] {next, st});
            seq = Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = next;
        }
        return steps;
    }

    @Test
    void alphaFollowsTheKlRuleOnIndependentlyRecomputedLogits() {
        SteeringMethod.Dac m = new SteeringMethod.Dac(vector, 3.0, 0.9, KlMode.SUM, false, AlphaUnits.MEAN_RESIDUAL_NORM);
        SteeredResult r = SteeredGeneration.generate(model, batch(), m, SteeredGeneration.Options.greedy(6));
        assertEquals("dac", r.method());
        float[] d = m.units().direction(m.vector());
        int nonZero = 0;
        for (int row = 0; row < PROMPTS.size(); row++) {
            int[] prompt = PROMPTS.get(row);
            int n = prompt.length;
            int[] toks = r.rows().get(row).tokens();
            List<DacStep> trace = r.rows().get(row).trace();
            assertEquals(toks.length, trace.size());
            for (int t = 0; t < toks.length; t++) {
                int[] seq = Arrays.copyOf(prompt, n + t);
                System.arraycopy(toks, 0, seq, n, t);
                float[] zu = lastLogits(seq, null);
                float[] zp = lastLogits(seq, new PositionAlpha(d, pos -> pos >= n - 1 ? 3.0f : 0f));
                DacStep expect = referenceKl(zu, zp, 0.9, KlMode.SUM, 3.0);
                DacStep got = trace.get(t);
                assertEquals(expect.nucleusSize(), got.nucleusSize(), "row " + row + " step " + t + " |S_t|");
                assertEquals(expect.divergence(), got.divergence(), TOL, "row " + row + " step " + t + " D_t");
                assertEquals(expect.alpha(), got.alpha(), TOL, "row " + row + " step " + t + " α_t");
                assertTrue(got.alpha() >= 0 && got.alpha() <= 3.0);
                if (got.alpha() > 1e-6) {
                    nonZero++;
                }
            }
        }
        assertTrue(nonZero > 0, "the probe must move the distribution somewhere, or the test proves nothing");
    }

    @Test
    void cachedEqualsTheUncachedReferenceLoop() {
        for (SteeringMethod.Dac m : List.of(SteeringMethod.Dac.of(vector, 2.0),
                new SteeringMethod.Dac(vector, 0.05, 0.7, KlMode.SUM, false, AlphaUnits.MEAN_RESIDUAL_NORM))) {
            SteeredResult r = SteeredGeneration.generate(model, batch(), m, SteeredGeneration.Options.greedy(6));
            for (int row = 0; row < PROMPTS.size(); row++) {
                List<Object[]> ref = uncached(PROMPTS.get(row), m, 6);
                int[] toks = r.rows().get(row).tokens();
                for (int t = 0; t < ref.size(); t++) {
                    assertEquals((int) ref.get(t)[0], toks[t], m + " row " + row + " token " + t);
                    DacStep e = (DacStep) ref.get(t)[1];
                    assertEquals(e.alpha(), r.rows().get(row).trace().get(t).alpha(), TOL, "row " + row + " α_" + t);
                    assertEquals(e.nucleusSize(), r.rows().get(row).trace().get(t).nucleusSize());
                }
            }
        }
    }

    @Test
    void zeroAlphaMaxIsTheBaselineBitForBit() {
        SteeredGeneration.Options o = SteeredGeneration.Options.greedy(8).withRecordLogits(true);
        SteeredResult base = SteeredGeneration.generate(model, batch(), null, o);
        SteeredResult shortcut = SteeredGeneration.generate(model, batch(), SteeringMethod.Dac.of(vector, 0.0), o);
        assertEquals("baseline", shortcut.method(), "the search's fast path");
        assertEquals(0, shortcut.hookCalls());
        SteeredResult zero = SteeredGeneration.generate(model, batch(), SteeringMethod.Dac.of(vector, 0.0),
                o.withForceSteeredPath(true));
        assertEquals("dac", zero.method());
        assertEquals(2L * 8, zero.hookCalls(), "probe and steered cache hooked at every step");
        for (int row = 0; row < PROMPTS.size(); row++) {
            assertArrayEquals(base.rows().get(row).tokens(), zero.rows().get(row).tokens());
            for (int t = 0; t < 8; t++) {
                assertArrayEquals(base.rows().get(row).logits().get(t), zero.rows().get(row).logits().get(t), 0f);
            }
            assertEquals(8, zero.rows().get(row).trace().size(), "D_t and alpha_t computed at every step");
            for (SteeredResult.DacStep st : zero.rows().get(row).trace()) {
                assertEquals(0.0, st.alpha());
                assertEquals(0.0, st.divergence());
            }
        }
    }

    @Test
    void topPAndKlModeAreLiveKnobs() {
        SteeredGeneration.Options o = SteeredGeneration.Options.greedy(5);
        double[] wide = alphas(SteeredGeneration.generate(model, batch(), SteeringMethod.Dac.of(vector, 2.0), o));
        double[] narrow = alphas(SteeredGeneration.generate(model, batch(),
                new SteeringMethod.Dac(vector, 2.0, 0.3, KlMode.REFERENCE, false, AlphaUnits.MEAN_RESIDUAL_NORM), o));
        double[] sum = alphas(SteeredGeneration.generate(model, batch(),
                new SteeringMethod.Dac(vector, 2.0, 0.95, KlMode.SUM, false, AlphaUnits.MEAN_RESIDUAL_NORM), o));
        assertTrue(maxDiff(wide, narrow) > 1e-6, "top_p 0.95 vs 0.3 must change α_t: " + Arrays.toString(wide) + " vs "
                + Arrays.toString(narrow));
        assertTrue(maxDiff(wide, sum) > 1e-6, "kl_mode must change α_t");
    }

    @Test
    void seedCompatIsConstantAdditionFromTheLastPromptToken() {
        SteeringMethod.Dac seed = new SteeringMethod.Dac(vector, 1.0, SteeringMethod.Dac.DEFAULT_TOP_P, KlMode.REFERENCE, true,
                AlphaUnits.RAW);
        SteeredResult a = SteeredGeneration.generate(model, batch(), seed, SteeredGeneration.Options.greedy(6));
        SteeredResult b = SteeredGeneration.generate(model, batch(), new SteeringMethod.Caa(vector, 1.0,
                dev.steeropt.core.hooks.SteerPositions.FROM_LAST_PROMPT_TOKEN, AlphaUnits.RAW), SteeredGeneration.Options.greedy(6));
        assertArrayEquals(b.tokens(), a.tokens());
        assertTrue(a.rows().get(0).trace().isEmpty());
    }

    private static double[] alphas(SteeredResult r) {
        List<Double> out = new ArrayList<>();
        for (SteeredResult.Row row : r.rows()) {
            for (DacStep s : row.trace()) {
                out.add(s.alpha());
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
