package dev.steeropt.studies.analysis.reads;

import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.runtime.ForwardResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.studies.analysis.directions.ReadMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code blocks.{i}.hook_resid_post} of many sequences, one forward per batch with every requested layer
 * captured: one row per sequence at a read position ({@link #rows}), or every non-pad position ({@link #positions}).
 */
public final class ResidualReads {
    /** Sequences per forward. */
    public static final int BATCH = 16;

    private ResidualReads() {}

    /**
     * Layer → {@code [sequence][d_model]}.
     *
     * @param prompts     prompt token ids per sequence
     * @param completions generated ids per sequence, needed for {@link ReadMode#MEAN_GENERATED} (else may be null)
     * @throws IllegalArgumentException when MEAN_GENERATED meets a completion with no token
     */
    public static Map<Integer, float[][]> rows(LoadedModel model, List<int[]> prompts, List<int[]> completions, ReadMode mode,
            int[] layers, int pad) {
        int n = prompts.size();
        int h = model.config().hiddenSize();
        Map<Integer, float[][]> out = new TreeMap<>();
        for (int l : layers) {
            out.put(l, new float[n][]);
        }
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            List<int[]> seqs = new ArrayList<>();
            int[] generated = new int[to - from];
            for (int i = from; i < to; i++) {
                int[] p = prompts.get(i);
                if (mode == ReadMode.MEAN_GENERATED) {
                    int[] c = completions.get(i);
                    if (c.length == 0) {
                        throw new IllegalArgumentException("sequence " + i + " generated no token to average over");
                    }
                    int[] s = java.util.Arrays.copyOf(p, p.length + c.length);
                    System.arraycopy(c, 0, s, p.length, c.length);
                    seqs.add(s);
                    generated[i - from] = c.length;
                } else {
                    seqs.add(p);
                    generated[i - from] = 1; // the last prompt token
                }
            }
            PromptBatch batch = PromptBatch.leftPad(seqs, pad);
            ForwardResult r = model.forward(batch, points(layers), Transformer.Logits.NONE, HookSet.empty());
            int t = batch.width();
            for (int l : layers) {
                float[] a = r.activation(HookPoint.residPost(l));
                for (int b = 0; b < seqs.size(); b++) {
                    float[] row = new float[h];
                    int g = generated[b];
                    for (int c = t - g; c < t; c++) { // left padding: the sequence ends at the last column
                        int at = (b * t + c) * h;
                        for (int j = 0; j < h; j++) {
                            row[j] += a[at + j];
                        }
                    }
                    for (int j = 0; j < h; j++) {
                        row[j] /= g;
                    }
                    out.get(l)[from + b] = row;
                }
            }
        }
        return out;
    }

    /** The residual at every captured layer of one forward over {@code batch}. */
    public static ForwardResult forward(LoadedModel model, PromptBatch batch, int[] layers, boolean logits) {
        return model.forward(batch, points(layers), logits ? Transformer.Logits.ALL : Transformer.Logits.NONE, HookSet.empty());
    }

    private static List<HookPoint> points(int[] layers) {
        List<HookPoint> p = new ArrayList<>();
        for (int l : layers) {
            p.add(HookPoint.residPost(l));
        }
        return p;
    }
}
