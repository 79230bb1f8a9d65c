package dev.steeropt.core.runtime;

/**
 * How the next token is chosen. Temperature 0 is greedy (argmax, ties to the lowest id). Otherwise logits are divided
 * by the temperature, then top-k and top-p (nucleus) filter, then one draw from the row's own random generator.
 *
 * <p>Each row draws from a generator seeded with {@link #seedFor(int)}: the request seed, or the per-row seed when
 * given. With one seed for all rows, a prompt gives the same text wherever it sits in a batch.
 *
 * @param temperature ≥ 0; 0 = greedy
 * @param topP        in (0, 1]; 1 = off
 * @param topK        ≥ 0; 0 = off
 * @param seed        seed of every row without a per-row seed
 * @param rowSeeds    per-row seeds by caller row, or null
 */
public record SamplingParams(float temperature, float topP, int topK, long seed, long[] rowSeeds) {
    public SamplingParams {
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0 (0 = off), got " + topK);
        }
        rowSeeds = rowSeeds == null ? null : rowSeeds.clone();
    }

    /** Greedy decoding. */
    public static SamplingParams greedy() {
        return new SamplingParams(0f, 1f, 0, 0L, null);
    }

    /** Sampling with temperature, top-p and top-k, one seed for every row. */
    public static SamplingParams sample(float temperature, float topP, int topK, long seed) {
        return new SamplingParams(temperature, topP, topK, seed, null);
    }

    /** True for argmax decoding. */
    public boolean isGreedy() {
        return temperature == 0f;
    }

    /** The seed of a caller row. */
    public long seedFor(int row) {
        if (rowSeeds == null) {
            return seed;
        }
        if (row >= rowSeeds.length) {
            throw new IllegalArgumentException("no seed for row " + row + " (" + rowSeeds.length + " row seeds given)");
        }
        return rowSeeds[row];
    }

    @Override
    public long[] rowSeeds() {
        return rowSeeds == null ? null : rowSeeds.clone();
    }
}
