package dev.steeropt.core.steering.caa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.runtime.ForwardResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.core.testing.Fixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CAA vectors on the tiny llama fixture, checked against activations read one sequence at a time. Tolerance 1e-4:
 * batched left-padded forwards differ from single-row ones by float32 rounding only.
 */
class CaaVectorsTest {
    private static final double TOL = 1e-4;
    private static LoadedModel model;

    @BeforeAll
    static void load() {
        model = LoadedModel.load(Fixture.modelDir("tiny-llama-fp32"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static List<ContrastPair> pairs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<ContrastPair> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int[] pos = new int[3 + r.nextInt(6)];
            int[] neg = new int[3 + r.nextInt(6)];
            for (int i = 0; i < pos.length; i++) {
                pos[i] = 1 + r.nextInt(500);
            }
            for (int i = 0; i < neg.length; i++) {
                neg[i] = 1 + r.nextInt(500);
            }
            out.add(new ContrastPair(pos, neg));
        }
        return out;
    }

    private static float[] single(int[] ids, int layer, int index) {
        ForwardResult fr = model.forward(PromptBatch.single(ids), List.of(HookPoint.residPost(layer)), Transformer.Logits.NONE,
                HookSet.empty());
        float[] act = fr.activation(HookPoint.residPost(layer));
        int d = fr.dModel();
        float[] v = new float[d];
        System.arraycopy(act, index * d, v, 0, d);
        return v;
    }

    @Test
    void meanDifferenceAndNormMatchSingleSequenceReads() {
        List<ContrastPair> pairs = pairs(5, 11);
        CaaVectors caa = CaaVectors.build(model, pairs, ReadPosition.lastToken(), List.of(3, 1), 2);
        assertEquals(List.of(1, 3), List.copyOf(caa.vectors().keySet()));
        assertEquals(5, caa.nPairs());
        for (int layer : new int[] {1, 3}) {
            double[] expect = new double[64];
            double norms = 0;
            for (ContrastPair p : pairs) {
                float[] hp = single(p.positive(), layer, p.positive().length - 1);
                float[] hn = single(p.negative(), layer, p.negative().length - 1);
                double np = 0;
                double nn = 0;
                for (int i = 0; i < 64; i++) {
                    expect[i] += (hp[i] - hn[i]) / 5.0;
                    np += hp[i] * (double) hp[i];
                    nn += hn[i] * (double) hn[i];
                }
                norms += Math.sqrt(np) + Math.sqrt(nn);
            }
            float[] got = caa.vectors().get(layer);
            for (int i = 0; i < 64; i++) {
                assertEquals(expect[i], got[i], TOL, "layer " + layer + " component " + i);
            }
            assertEquals(norms / 10, caa.meanResidualNorms().get(layer), TOL * 10);
            assertTrue(caa.meanResidualNorms().get(layer) > 0);
        }
        SteeringVector v = caa.vector(3, Map.of(SteeringVector.KEY_PAIR_BUILDER, "test"));
        assertEquals("5", v.metadata().get(SteeringVector.KEY_N_PAIRS));
        assertEquals(CaaVectors.METHOD, v.metadata().get(SteeringVector.KEY_METHOD));
        assertEquals("test", v.metadata().get(SteeringVector.KEY_PAIR_BUILDER));
        assertEquals(caa.meanResidualNorms().get(3), v.meanResidualNorm().orElseThrow());
    }

    @Test
    void readsAnEarlierPosition() {
        List<ContrastPair> pairs = pairs(2, 12);
        CaaVectors caa = CaaVectors.build(model, pairs, new ReadPosition(2), List.of(0), 4);
        float[] hp = single(pairs.get(0).positive(), 0, pairs.get(0).positive().length - 2);
        float[] hn = single(pairs.get(0).negative(), 0, pairs.get(0).negative().length - 2);
        float[] hp1 = single(pairs.get(1).positive(), 0, pairs.get(1).positive().length - 2);
        float[] hn1 = single(pairs.get(1).negative(), 0, pairs.get(1).negative().length - 2);
        for (int i = 0; i < 64; i++) {
            assertEquals(((hp[i] - hn[i]) + (hp1[i] - hn1[i])) / 2.0, caa.vectors().get(0)[i], TOL);
        }
    }

    @Test
    void emptyAndInvalidInputsThrow() {
        assertThrows(IllegalArgumentException.class, () -> CaaVectors.build(model, List.of(), ReadPosition.lastToken(), List.of(0), 1));
        assertThrows(IllegalArgumentException.class, () -> CaaVectors.build(model, pairs(1, 1), ReadPosition.lastToken(), List.of(4), 1));
        assertThrows(IllegalStateException.class, () -> CaaVectors.fromActivations(Map.of(0, new float[0][]), Map.of(0, new float[0][])));
    }
}
