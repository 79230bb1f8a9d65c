package dev.steeropt.core.model.arch;

import java.util.Objects;

/**
 * One tensor a checkpoint stores for an architecture: its Hugging Face name, shape (Linear weights {@code [out, in]}
 * except GPT-2's Conv1D {@code [in, out]}) and how transformers' {@code _init_weights} initialises it. Immutable.
 *
 * @param name  HF tensor name
 * @param shape dimensions
 * @param init  the initialisation a fresh HF model of this architecture gives it
 */
public record StoredTensor(String name, long[] shape, Init init) {

    /** How a fresh model's tensor is initialised. */
    public enum Init {
        /** N(0, initializer_range): Linear and embedding weights. */
        NORMAL,
        /** 1: norm weights that multiply by w. */
        ONES,
        /** 0: biases, and Gemma's norm weights (which multiply by 1 + w). */
        ZEROS
    }

    public StoredTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(init, "init");
        shape = shape.clone();
        for (long d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(name + " has a non-positive dimension: " + java.util.Arrays.toString(shape));
            }
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** A weight {@code [rows, cols]} drawn from N(0, initializer_range). */
    static StoredTensor normal(String name, long... shape) {
        return new StoredTensor(name, shape, Init.NORMAL);
    }

    /** A vector of {@code size} filled with {@code init}. */
    static StoredTensor filled(String name, long size, Init init) {
        return new StoredTensor(name, new long[] {size}, init);
    }

    /** A Linear layer: weight {@code [out, in]}, plus a zero bias {@code [out]} when {@code bias}. */
    static void linear(java.util.List<StoredTensor> out, String prefix, long outDim, long inDim, boolean bias) {
        out.add(normal(prefix + ".weight", outDim, inDim));
        if (bias) {
            out.add(filled(prefix + ".bias", outDim, Init.ZEROS));
        }
    }
}
