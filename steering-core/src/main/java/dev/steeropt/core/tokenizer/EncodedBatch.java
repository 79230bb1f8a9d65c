package dev.steeropt.core.tokenizer;

import java.util.Arrays;
import java.util.Objects;

/**
 * A left-padded batch of token ids, as Hugging Face {@code generate} expects for decoder-only models.
 *
 * <p>Row {@code b} holds {@code lengths()[b]} real tokens at its right end, preceded by pad ids; the attention mask is
 * {@code 1} on real tokens and {@code 0} on padding. Immutable: the accessors return copies.
 *
 * @param inputIds      {@code [batch, pos]} token ids, all rows of equal length
 * @param attentionMask {@code [batch, pos]} of 0/1, same shape, each row zeros then ones
 */
public record EncodedBatch(int[][] inputIds, int[][] attentionMask) {

    public EncodedBatch {
        Objects.requireNonNull(inputIds, "inputIds");
        Objects.requireNonNull(attentionMask, "attentionMask");
        if (inputIds.length != attentionMask.length) {
            throw new IllegalArgumentException("inputIds has " + inputIds.length + " rows but attentionMask has "
                    + attentionMask.length + "; they must have the same shape");
        }
        int width = inputIds.length == 0 ? 0 : inputIds[0].length;
        int[][] ids = new int[inputIds.length][];
        int[][] mask = new int[inputIds.length][];
        for (int b = 0; b < inputIds.length; b++) {
            if (inputIds[b].length != width || attentionMask[b].length != width) {
                throw new IllegalArgumentException("row " + b + " has " + inputIds[b].length + " ids and "
                        + attentionMask[b].length + " mask entries; expected " + width + " of each (all rows padded"
                        + " to the same length)");
            }
            boolean seenReal = false;
            for (int t = 0; t < width; t++) {
                int m = attentionMask[b][t];
                if (m != 0 && m != 1) {
                    throw new IllegalArgumentException("attentionMask[" + b + "][" + t + "] = " + m + "; expected 0 or 1");
                }
                if (m == 0 && seenReal) {
                    throw new IllegalArgumentException("attentionMask row " + b + " has padding after a real token at "
                            + t + "; left padding puts all padding first");
                }
                seenReal |= m == 1;
            }
            ids[b] = inputIds[b].clone();
            mask[b] = attentionMask[b].clone();
        }
        inputIds = ids;
        attentionMask = mask;
    }

    /** Number of rows. */
    public int batchSize() {
        return inputIds.length;
    }

    /** Padded row length (the longest row's token count). */
    public int width() {
        return inputIds.length == 0 ? 0 : inputIds[0].length;
    }

    /** The number of real tokens in each row. */
    public int[] lengths() {
        int[] lengths = new int[inputIds.length];
        for (int b = 0; b < inputIds.length; b++) {
            lengths[b] = Arrays.stream(attentionMask[b]).sum();
        }
        return lengths;
    }

    @Override
    public int[][] inputIds() {
        return deepCopy(inputIds);
    }

    @Override
    public int[][] attentionMask() {
        return deepCopy(attentionMask);
    }

    private static int[][] deepCopy(int[][] a) {
        int[][] c = new int[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedBatch other
                && Arrays.deepEquals(inputIds, other.inputIds)
                && Arrays.deepEquals(attentionMask, other.attentionMask);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(inputIds) + Arrays.deepHashCode(attentionMask);
    }

    @Override
    public String toString() {
        return "EncodedBatch[batch=" + batchSize() + ", width=" + width() + ", lengths=" + Arrays.toString(lengths())
                + "]";
    }
}
