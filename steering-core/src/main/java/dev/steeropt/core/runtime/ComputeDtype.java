package dev.steeropt.core.runtime;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/** Arithmetic precision of the forward pass. Weights of any stored type are converted at load. */
public enum ComputeDtype {
    /** float32 (default; matches the reference fixtures). */
    FLOAT32,
    /** float16 weights and activations; norms, softmax and RMS statistics stay in float32. */
    FLOAT16,
    /**
     * bfloat16: not available with the bundled PyTorch engine build, where any BF16 NDArray aborts the JVM. Loading
     * with it fails with a message; BF16 checkpoints load exactly as float32.
     */
    BFLOAT16;

    /** The engine data type. */
    public DataType dataType() {
        return switch (this) {
            case FLOAT32 -> DataType.FLOAT32;
            case FLOAT16 -> DataType.FLOAT16;
            case BFLOAT16 -> DataType.BFLOAT16;
        };
    }

    /**
     * Parses {@code float32}, {@code float16}, {@code bfloat16} (also fp32, fp16, bf16, f32, f16).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static ComputeDtype parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "float32", "fp32", "f32" -> FLOAT32;
            case "float16", "fp16", "f16", "half" -> FLOAT16;
            case "bfloat16", "bf16" -> BFLOAT16;
            default -> throw new IllegalArgumentException("dtype \"" + s + "\" is not one of float32, float16, bfloat16");
        };
    }
}
