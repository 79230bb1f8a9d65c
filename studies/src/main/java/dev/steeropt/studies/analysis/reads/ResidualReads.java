package dev.steeropt.studies.analysis.reads;

import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.runtime.ForwardResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.steering.caa.ReadPosition;
import dev.steeropt.core.steering.caa.ResidualReader;
import dev.steeropt.studies.vectors.CachedActivations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code blocks.{i}.hook_resid_post} of many sequences at a {@link ReadMode}: one row per sequence, the last
 * prompt token or the mean over the positions of a given completion (teacher-forced after its prompt), with every
 * requested layer captured in one forward per batch ({@link #rows}), optionally through the activation cache
 * ({@link #cached}); or the whole forward of a batch ({@link #forward}). Every analysis reads the residual stream
 * here.
 */
public final class ResidualReads {
    /** Sequences per forward. */
    public static final int BATCH = 16;
    /** The cache's read label of {@link ReadMode#MEAN_GENERATED} rows. */
    static final String MEAN_GENERATED_LABEL = "mean_generated";

    private ResidualReads() {}

    /**
     * Layer → {@code [sequence][d_model]}, layers ascending.
     *
     * @param prompts     prompt token ids per sequence
     * @param completions generated ids per sequence (EOS excluded), needed for {@link ReadMode#MEAN_GENERATED}, else
     *                    ignored (may be null); an empty completion reads its prompt's last token
     */
    public static Map<Integer, float[][]> rows(LoadedModel model, List<int[]> prompts, List<int[]> completions, ReadMode mode,
            List<Integer> layers, int pad) {
        if (mode == ReadMode.LAST_PROMPT_TOKEN) {
            return new TreeMap<>(ResidualReader.read(model, prompts, ReadPosition.lastToken(), layers, BATCH));
        }
        if (completions == null || completions.size() != prompts.size()) {
            throw new IllegalArgumentException("mean_generated needs one completion per prompt");
        }
        int n = prompts.size();
        int h = model.config().hiddenSize();
        Map<Integer, float[][]> out = new TreeMap<>();
        for (int l : layers) {
            out.put(l, new float[n][]);
        }
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            List<int[]> seqs = new ArrayList<>();
            int[] averaged = new int[to - from];
            for (int i = from; i < to; i++) {
                int[] p = prompts.get(i);
                int[] c = completions.get(i);
                int[] s = Arrays.copyOf(p, p.length + c.length);
                System.arraycopy(c, 0, s, p.length, c.length);
                seqs.add(s);
                averaged[i - from] = Math.max(1, c.length); // no completion: the last prompt token
            }
            PromptBatch batch = PromptBatch.leftPad(seqs, pad);
            ForwardResult r = model.forward(batch, points(layers), Transformer.Logits.NONE, HookSet.empty());
            int t = batch.width();
            for (int l : layers) {
                float[] a = r.activation(HookPoint.residPost(l));
                for (int b = 0; b < seqs.size(); b++) {
                    double[] sum = new double[h];
                    int g = averaged[b];
                    for (int c = t - g; c < t; c++) { // left padding: the sequence ends at the last column
                        int at = (b * t + c) * h;
                        for (int j = 0; j < h; j++) {
                            sum[j] += a[at + j];
                        }
                    }
                    float[] row = new float[h];
                    for (int j = 0; j < h; j++) {
                        row[j] = (float) (sum[j] / g);
                    }
                    out.get(l)[from + b] = row;
                }
            }
        }
        return out;
    }

    /**
     * {@link #rows} through the activation cache: layers already cached for these token ids (prompts and, for
     * {@link ReadMode#MEAN_GENERATED}, completions, both in the key) cost no forward; the missing ones are read
     * together and stored.
     */
    public static Map<Integer, float[][]> cached(ActivationStore store, CachedActivations.Scope scope, LoadedModel model,
            List<int[]> prompts, List<int[]> completions, ReadMode mode, List<Integer> layers, int pad) {
        if (mode == ReadMode.LAST_PROMPT_TOKEN) {
            return CachedActivations.read(store, scope, model, prompts, ReadPosition.lastToken(), layers, BATCH);
        }
        List<int[]> hashed = new ArrayList<>(prompts);
        hashed.addAll(completions);
        return CachedActivations.read(store, scope, hashed, MEAN_GENERATED_LABEL, prompts.size(), layers,
                missing -> rows(model, prompts, completions, mode, missing, pad));
    }

    /** The residual at every captured layer of one forward over {@code batch}. */
    public static ForwardResult forward(LoadedModel model, PromptBatch batch, int[] layers, boolean logits) {
        return model.forward(batch, points(Arrays.stream(layers).boxed().toList()),
                logits ? Transformer.Logits.ALL : Transformer.Logits.NONE, HookSet.empty());
    }

    private static List<HookPoint> points(List<Integer> layers) {
        return layers.stream().map(HookPoint::residPost).toList();
    }
}
