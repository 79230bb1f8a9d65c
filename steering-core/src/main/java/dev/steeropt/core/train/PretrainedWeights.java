package dev.steeropt.core.train;

import dev.steeropt.core.model.weights.WeightStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a Hugging Face Llama checkpoint into {@link TrainableLlama}'s parameter names and fused {@code [in, out]}
 * layout: the inverse of {@link TrainableLlama#save}.
 */
final class PretrainedWeights {
    private PretrainedWeights() {}

    /** Values by {@link TrainableLlama} parameter name. */
    static Map<String, float[]> read(Path dir, TrainConfig config, int vocabSize) {
        int d = config.hiddenSize();
        int inter = config.intermediateSize();
        Map<String, float[]> out = new HashMap<>();
        try (WeightStore w = WeightStore.open(dir)) {
            out.put("embed", sized(w, "model.embed_tokens.weight", (long) vocabSize * d));
            out.put("unembed", fused(d, new float[][] {sized(w, "lm_head.weight", (long) vocabSize * d)}, vocabSize));
            out.put("final_norm", sized(w, "model.norm.weight", d));
            for (int i = 0; i < config.numLayers(); i++) {
                String p = "layers." + i + ".";
                String hf = "model.layers." + i + ".";
                out.put(p + "attn_norm", sized(w, hf + "input_layernorm.weight", d));
                out.put(p + "mlp_norm", sized(w, hf + "post_attention_layernorm.weight", d));
                long dd = (long) d * d;
                out.put(p + "qkv", fused(d, new float[][] {sized(w, hf + "self_attn.q_proj.weight", dd),
                    sized(w, hf + "self_attn.k_proj.weight", dd), sized(w, hf + "self_attn.v_proj.weight", dd)}, d));
                out.put(p + "o", fused(d, new float[][] {sized(w, hf + "self_attn.o_proj.weight", dd)}, d));
                long di = (long) d * inter;
                out.put(p + "gate_up", fused(d, new float[][] {sized(w, hf + "mlp.gate_proj.weight", di),
                    sized(w, hf + "mlp.up_proj.weight", di)}, inter));
                out.put(p + "down", fused(inter, new float[][] {sized(w, hf + "mlp.down_proj.weight", di)}, d));
            }
        }
        return out;
    }

    private static float[] sized(WeightStore w, String name, long count) {
        if (!w.contains(name)) {
            throw new IllegalArgumentException("the checkpoint in " + w.dir() + " has no tensor " + name);
        }
        float[] v = w.readFloats(name);
        if (v.length != count) {
            throw new IllegalArgumentException("the checkpoint's " + name + " has " + v.length + " values, the config "
                    + "needs " + count + "; train the fine-tune with the base model's shape");
        }
        return v;
    }

    /**
     * Row-major {@code [in, parts·out]}: the transposes of the row-major {@code [out, in]} matrices side by side, the
     * runtime's fused projection layout.
     */
    private static float[] fused(int in, float[][] parts, int out) {
        int width = parts.length * out;
        float[] r = new float[in * width];
        for (int k = 0; k < parts.length; k++) {
            float[] m = parts[k];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    r[i * width + k * out + o] = m[o * in + i];
                }
            }
        }
        return r;
    }
}
