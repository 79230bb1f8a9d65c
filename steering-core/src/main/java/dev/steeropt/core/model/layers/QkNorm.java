package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Objects;

/**
 * A norm on the query and key projections before RoPE: per head over {@code d_head} (Qwen3, Gemma 3: one weight
 * {@code [d_head]} shared by all heads) or over the whole projection (OLMo 2: {@code [n_heads·d_head]}, so each head's
 * normalisation depends on every head).
 *
 * @param q     the query norm
 * @param k     the key norm
 * @param scope what one normalisation covers
 */
public record QkNorm(Norm q, Norm k, Scope scope) {
    /** What one normalisation covers. */
    public enum Scope {
        /** Each head's {@code d_head} features. */
        PER_HEAD,
        /** All query (key) features of a token. */
        WHOLE_PROJECTION
    }

    public QkNorm {
        Objects.requireNonNull(q, "q");
        Objects.requireNonNull(k, "k");
        Objects.requireNonNull(scope, "scope");
    }

    /** The weights. */
    public List<NDArray> parameters() {
        List<NDArray> p = new java.util.ArrayList<>(q.parameters());
        p.addAll(k.parameters());
        return p;
    }
}
