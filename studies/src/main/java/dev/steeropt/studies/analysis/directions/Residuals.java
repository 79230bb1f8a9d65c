package dev.steeropt.studies.analysis.directions;

import dev.steeropt.core.hooks.ActivationCapture;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.runtime.GenerationRequest;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.steering.caa.ReadPosition;
import dev.steeropt.core.steering.caa.ResidualReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per-prompt residual streams ({@code blocks.{i}.hook_resid_post}) of one model at a {@link ReadMode}. */
final class Residuals {
    static final int BATCH = 16;

    private Residuals() {}

    /**
     * Layer → {@code [prompt][d_model]}: the last token's residual, or the mean over the model's own greedy completion
     * (up to {@code maxNewTokens}; a prompt whose completion is empty reads its last prompt token).
     */
    static Map<Integer, float[][]> read(LoadedModel model, List<int[]> prompts, List<Integer> layers, ReadMode mode,
            int maxNewTokens, int padId) {
        if (mode == ReadMode.LAST_PROMPT_TOKEN) {
            return ResidualReader.read(model, prompts, ReadPosition.lastToken(), layers, BATCH);
        }
        int d = model.config().hiddenSize();
        Map<Integer, float[][]> out = new LinkedHashMap<>();
        layers.forEach(l -> out.put(l, new float[prompts.size()][]));
        List<HookPoint> points = layers.stream().map(HookPoint::residPost).toList();
        for (int start = 0; start < prompts.size(); start += BATCH) {
            List<int[]> chunk = prompts.subList(start, Math.min(prompts.size(), start + BATCH));
            ActivationCapture gen = ActivationCapture.of(ActivationCapture.Select.GENERATED, points);
            ActivationCapture last = ActivationCapture.of(ActivationCapture.Select.LAST_PROMPT_TOKEN, points);
            model.generate(GenerationRequest.builder(PromptBatch.leftPad(chunk, padId)).maxNewTokens(maxNewTokens)
                    .stopTokenIds(model.eosTokenIds()).hooks(gen.hooks().with(last.hooks())).build());
            for (int l : layers) {
                HookPoint p = HookPoint.residPost(l);
                double[][] sum = new double[chunk.size()][d];
                int[] count = new int[chunk.size()];
                List<ActivationCapture.Captured> captured = new ArrayList<>();
                try {
                    captured.addAll(gen.get(p));
                } catch (IllegalStateException nothingGenerated) {
                    // every row stopped at once: each reads its last prompt token below
                }
                for (ActivationCapture.Captured c : captured) {
                    for (int i = 0; i < d; i++) {
                        sum[c.row()][i] += c.values()[i];
                    }
                    count[c.row()]++;
                }
                for (int r = 0; r < chunk.size(); r++) {
                    float[] v = new float[d];
                    if (count[r] == 0) {
                        v = last.get(p, r, chunk.get(r).length - 1);
                    } else {
                        for (int i = 0; i < d; i++) {
                            v[i] = (float) (sum[r][i] / count[r]);
                        }
                    }
                    out.get(l)[start + r] = v;
                }
            }
        }
        return out;
    }

    /** Mean over rows. */
    static float[] mean(float[][] rows) {
        double[] s = new double[rows[0].length];
        for (float[] r : rows) {
            for (int i = 0; i < s.length; i++) {
                s[i] += r[i];
            }
        }
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (float) (s[i] / rows.length);
        }
        return out;
    }

    /** Mean of the rows' L2 norms. */
    static double meanNorm(float[][] rows) {
        double s = 0;
        for (float[] r : rows) {
            s += norm(r);
        }
        return s / rows.length;
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    /** Cosine similarity, NaN when either is zero. */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        double n = norm(a) * norm(b);
        return n == 0 ? Double.NaN : dot / n;
    }

    static float[] minus(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }
}
