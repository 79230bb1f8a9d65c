package dev.steeropt.core.bench;

import java.util.SplittableRandom;

/**
 * The benchmark's prompts, as {@code shared/tools/hf-bench.py} makes them: random ids in {@code [1, vocab)}, width
 * 160; batch 1 is exactly 160 tokens, larger batches have row lengths drawn from 144..160 (row 0 = 160), left-padded
 * with id 0 and mask 0. Seeded, so every run times the same prompts (not the same ids as torch's generator).
 *
 * @param ids  {@code [batch, 160]}
 * @param mask {@code [batch, 160]}, zeros then ones
 */
public record BenchPrompts(int[][] ids, int[][] mask) {

    /** Prompt width of the protocol. */
    public static final int PROMPT = 160;
    /** New tokens per timed generate. */
    public static final int NEW_TOKENS = 128;
    /** Shortest row in a batch. */
    public static final int MIN_ROW = 144;

    public BenchPrompts {
        if (ids.length != mask.length || ids.length == 0) {
            throw new IllegalArgumentException("ids and mask need the same, non-zero number of rows; got "
                    + ids.length + " and " + mask.length);
        }
    }

    /**
     * @param batch rows (≥ 1)
     * @param vocab vocabulary size (≥ 2)
     * @param seed  prompt seed (hf-bench uses 1000 + batch)
     */
    public static BenchPrompts make(int batch, int vocab, long seed) {
        if (batch < 1 || vocab < 2) {
            throw new IllegalArgumentException("batch must be >= 1 and vocab >= 2; got " + batch + ", " + vocab);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int[][] ids = new int[batch][PROMPT];
        int[][] mask = new int[batch][PROMPT];
        for (int b = 0; b < batch; b++) {
            int len = batch == 1 || b == 0 ? PROMPT : rnd.nextInt(MIN_ROW, PROMPT + 1);
            int pad = PROMPT - len;
            for (int t = 0; t < PROMPT; t++) {
                boolean real = t >= pad;
                ids[b][t] = real ? rnd.nextInt(1, vocab) : 0;
                mask[b][t] = real ? 1 : 0;
            }
        }
        return new BenchPrompts(ids, mask);
    }

    /** Rows. */
    public int batch() {
        return ids.length;
    }

    /** Real (unpadded) tokens over all rows. */
    public long realTokens() {
        long n = 0;
        for (int[] row : mask) {
            for (int m : row) {
                n += m;
            }
        }
        return n;
    }

    /** The unpadded ids of row {@code b}. */
    public int[] row(int b) {
        int pad = 0;
        while (pad < PROMPT && mask[b][pad] == 0) {
            pad++;
        }
        return java.util.Arrays.copyOfRange(ids[b], pad, PROMPT);
    }
}
