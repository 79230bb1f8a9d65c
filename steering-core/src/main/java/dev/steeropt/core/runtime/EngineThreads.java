package dev.steeropt.core.runtime;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.steeropt.core.model.config.ModelConfig;

/**
 * PyTorch's intra-op thread count for a model. A small model's ops (d_model below {@value #SMALL_HIDDEN}) are too
 * short to split across threads: one thread is faster, and, unlike two OpenMP threads that spin while they wait, it
 * does not collapse when another process keeps a core busy (the studies README gives the demo model's figures on
 * the 2-core machine). Larger models keep the
 * engine's count unless one is asked for.
 */
public final class EngineThreads {
    /** Models narrower than this run one thread by default. */
    public static final int SMALL_HIDDEN = 512;
    /** System property with an explicit count (DJL's own), which always wins. */
    public static final String PROPERTY = "ai.djl.pytorch.num_threads";

    private EngineThreads() {}

    /**
     * Sets the intra-op thread count for {@code config}: the {@value #PROPERTY} system property if set, else 1 for a
     * small model, else the engine's choice (unchanged).
     *
     * @return the count set, or 0 if the engine's choice was kept
     */
    public static int configureFor(ModelConfig config) {
        String explicit = System.getProperty(PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            return 0; // DJL applies it when the engine starts
        }
        if (small(config.hiddenSize())) {
            Engine.getEngine("PyTorch"); // natives loaded before the call below
            JniUtils.setNumThreads(1);
            return 1;
        }
        return 0;
    }

    static boolean small(int hiddenSize) {
        return hiddenSize < SMALL_HIDDEN;
    }
}
