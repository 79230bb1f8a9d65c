package dev.steeropt.core.runtime;

import dev.steeropt.core.hooks.HookPoint;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Outputs of one full forward pass over a prompt batch, in plain Java, row-major, pad positions set to 0.
 *
 * @param batch       rows
 * @param seqLen      columns
 * @param vocab       d_vocab
 * @param dModel      d_model
 * @param logits      {@code [batch, seqLen, vocab]} (all positions), {@code [batch, 1, vocab]} (last), or null
 * @param activations captured activations, {@code [batch, seqLen, dModel]} each ({@code hook_z}:
 *                    {@code [batch, seqLen, n_heads·d_head]}), in firing order
 */
public record ForwardResult(int batch, int seqLen, int vocab, int dModel, float[] logits, Map<HookPoint, float[]> activations) {
    public ForwardResult {
        activations = Collections.unmodifiableMap(new LinkedHashMap<>(activations));
    }

    /**
     * The activation captured at a point.
     *
     * @throws IllegalArgumentException if it was not requested
     */
    public float[] activation(HookPoint p) {
        float[] a = activations.get(p);
        if (a == null) {
            throw new IllegalArgumentException(p + " was not captured (captured: " + activations.keySet() + ")");
        }
        return a;
    }
}
