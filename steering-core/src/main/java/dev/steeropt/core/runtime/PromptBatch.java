package dev.steeropt.core.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A left-padded batch of prompts: {@code inputIds[b][t]} with {@code attentionMask[b][t]} = 1 for real tokens and 0
 * for padding, pads first. Position ids are {@code cumsum(mask) − 1}, 0 at pads.
 *
 * <p>Immutable (arrays are copied in and out). Every row holds at least one real token.
 */
public final class PromptBatch {
    private final int[][] inputIds;
    private final int[][] attentionMask;
    private final int[] promptLengths;

    private PromptBatch(int[][] inputIds, int[][] attentionMask) {
        Objects.requireNonNull(inputIds, "inputIds");
        Objects.requireNonNull(attentionMask, "attentionMask");
        if (inputIds.length == 0) {
            throw new IllegalArgumentException("a prompt batch needs at least one row");
        }
        if (attentionMask.length != inputIds.length) {
            throw new IllegalArgumentException("input_ids has " + inputIds.length + " rows but attention_mask has " + attentionMask.length);
        }
        int width = inputIds[0].length;
        this.inputIds = new int[inputIds.length][];
        this.attentionMask = new int[inputIds.length][];
        this.promptLengths = new int[inputIds.length];
        for (int b = 0; b < inputIds.length; b++) {
            if (inputIds[b].length != width || attentionMask[b].length != width) {
                throw new IllegalArgumentException("row " + b + " has " + inputIds[b].length + " ids and " + attentionMask[b].length
                        + " mask entries; every row must have " + width + " (the batch must be rectangular)");
            }
            int len = 0;
            for (int t = 0; t < width; t++) {
                int m = attentionMask[b][t];
                if (m != 0 && m != 1) {
                    throw new IllegalArgumentException("attention_mask[" + b + "][" + t + "] is " + m + ", expected 0 or 1");
                }
                if (m == 0 && len > 0) {
                    throw new IllegalArgumentException("row " + b + " is not left-padded: a pad follows a real token at column " + t);
                }
                len += m;
                if (m == 1 && inputIds[b][t] < 0) {
                    throw new IllegalArgumentException("input_ids[" + b + "][" + t + "] is negative: " + inputIds[b][t]);
                }
            }
            if (len == 0) {
                throw new IllegalArgumentException("row " + b + " has no real token (attention_mask is all 0)");
            }
            this.inputIds[b] = inputIds[b].clone();
            this.attentionMask[b] = attentionMask[b].clone();
            this.promptLengths[b] = len;
        }
    }

    /** A batch from explicit ids and mask (as in the fixtures' {@code reference.json} {@code batch}). */
    public static PromptBatch of(int[][] inputIds, int[][] attentionMask) {
        return new PromptBatch(inputIds, attentionMask);
    }

    /**
     * Left-pads unpadded prompts to the longest one.
     *
     * @param padId id written into pad slots (its value does not affect real tokens)
     */
    public static PromptBatch leftPad(List<int[]> prompts, int padId) {
        int width = 0;
        for (int[] p : prompts) {
            if (p.length == 0) {
                throw new IllegalArgumentException("a prompt is empty; every prompt needs at least one token");
            }
            width = Math.max(width, p.length);
        }
        int[][] ids = new int[prompts.size()][width];
        int[][] mask = new int[prompts.size()][width];
        for (int b = 0; b < prompts.size(); b++) {
            int[] p = prompts.get(b);
            int off = width - p.length;
            Arrays.fill(ids[b], 0, off, padId);
            System.arraycopy(p, 0, ids[b], off, p.length);
            Arrays.fill(mask[b], off, width, 1);
        }
        return new PromptBatch(ids, mask);
    }

    /** One unpadded prompt. */
    public static PromptBatch single(int... ids) {
        return leftPad(List.of(ids.clone()), 0);
    }

    /** Rows. */
    public int batchSize() {
        return inputIds.length;
    }

    /** Columns (the longest prompt). */
    public int width() {
        return inputIds[0].length;
    }

    /** Token id at row b, column t. */
    public int id(int b, int t) {
        return inputIds[b][t];
    }

    /** Mask at row b, column t. */
    public int mask(int b, int t) {
        return attentionMask[b][t];
    }

    /** Copy of the ids. */
    public int[][] inputIds() {
        int[][] out = new int[inputIds.length][];
        for (int b = 0; b < out.length; b++) {
            out[b] = inputIds[b].clone();
        }
        return out;
    }

    /** Copy of the mask. */
    public int[][] attentionMask() {
        int[][] out = new int[attentionMask.length][];
        for (int b = 0; b < out.length; b++) {
            out[b] = attentionMask[b].clone();
        }
        return out;
    }

    /** Real tokens per row. */
    public int[] promptLengths() {
        return promptLengths.clone();
    }

    /** Real tokens of row b. */
    public int promptLength(int b) {
        return promptLengths[b];
    }

    /** Position id at row b, column t: its index in the unpadded row, 0 at pads. */
    public int positionId(int b, int t) {
        int pad = width() - promptLengths[b];
        return t < pad ? 0 : t - pad;
    }

    /** Row b without padding. */
    public int[] unpadded(int b) {
        return Arrays.copyOfRange(inputIds[b], width() - promptLengths[b], width());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptBatch p && Arrays.deepEquals(inputIds, p.inputIds) && Arrays.deepEquals(attentionMask, p.attentionMask);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(inputIds) * 31 + Arrays.deepHashCode(attentionMask);
    }

    @Override
    public String toString() {
        return "PromptBatch[" + batchSize() + " x " + width() + ", lengths " + Arrays.toString(promptLengths) + "]";
    }
}
