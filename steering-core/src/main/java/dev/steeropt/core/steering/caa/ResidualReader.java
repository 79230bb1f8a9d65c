package dev.steeropt.core.steering.caa;

import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.runtime.ForwardResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads the residual stream {@code blocks.{L}.hook_resid_post} of many layers at one position per sequence, with one
 * unsteered forward (no logits) per left-padded batch.
 */
public final class ResidualReader {
    private ResidualReader() {}

    /**
     * @param sequences  token ids, unpadded
     * @param read       which token of each sequence
     * @param layers     decoder layers to read (any order, no repeats)
     * @param batchSize  sequences per forward (≥ 1)
     * @return layer → {@code [sequence][d_model]}, in sequence order, layers ascending
     * @throws IllegalStateException if a capture hook did not fire or captured nothing
     */
    public static Map<Integer, float[][]> read(LoadedModel model, List<int[]> sequences, ReadPosition read, List<Integer> layers,
            int batchSize) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("no sequences to read activations from");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        TreeSet<Integer> sorted = new TreeSet<>(layers);
        if (sorted.isEmpty() || sorted.size() != layers.size()) {
            throw new IllegalArgumentException("layers must be non-empty and distinct, got " + layers);
        }
        int n = model.config().numLayers();
        if (sorted.first() < 0 || sorted.last() >= n) {
            throw new IllegalArgumentException("layers " + layers + " outside the model's 0.." + (n - 1));
        }
        List<HookPoint> points = new ArrayList<>();
        for (int l : sorted) {
            points.add(HookPoint.residPost(l));
        }
        int d = model.config().hiddenSize();
        Map<Integer, float[][]> out = new LinkedHashMap<>();
        for (int l : sorted) {
            out.put(l, new float[sequences.size()][]);
        }
        for (int start = 0; start < sequences.size(); start += batchSize) {
            List<int[]> chunk = sequences.subList(start, Math.min(sequences.size(), start + batchSize));
            PromptBatch batch = PromptBatch.leftPad(chunk, 0);
            ForwardResult fr = model.forward(batch, points, Transformer.Logits.NONE, HookSet.empty());
            int width = batch.width();
            for (int l : sorted) {
                HookPoint p = HookPoint.residPost(l);
                float[] act = fr.activations().get(p);
                if (act == null || act.length == 0) {
                    throw new IllegalStateException("the capture at " + p + " never fired during the forward of sequences "
                            + start + ".." + (start + chunk.size() - 1));
                }
                if (act.length != chunk.size() * width * d) {
                    throw new IllegalStateException("the capture at " + p + " holds " + act.length + " values; expected "
                            + chunk.size() + " x " + width + " x " + d);
                }
                for (int r = 0; r < chunk.size(); r++) {
                    int len = chunk.get(r).length;
                    int col = width - len + read.index(len);
                    float[] v = new float[d];
                    System.arraycopy(act, (r * width + col) * d, v, 0, d);
                    out.get(l)[start + r] = v;
                }
            }
        }
        return out;
    }
}
