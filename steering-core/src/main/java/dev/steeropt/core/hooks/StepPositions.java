package dev.steeropt.core.hooks;

import java.util.Objects;

/**
 * Position metadata of one forward step over {@code batch × seqLen} new tokens, in plain Java.
 *
 * @param batch          rows in this forward
 * @param seqLen         new tokens per row in this forward (prompt length in a prefill, 1 in a decode step)
 * @param positionIds    row-major {@code [batch, seqLen]}: index of each token inside its own unpadded sequence (0 at pads)
 * @param attentionMask  row-major {@code [batch, seqLen]}: 1 real token, 0 padding
 * @param promptLengths  per row, the number of real prompt tokens
 * @param rows           per row, the caller's row index (the index in the original request)
 * @param prefill        true when this forward processes prompt tokens only
 */
public record StepPositions(int batch, int seqLen, int[] positionIds, int[] attentionMask, int[] promptLengths, int[] rows,
        boolean prefill) {
    public StepPositions {
        Objects.requireNonNull(positionIds, "positionIds");
        Objects.requireNonNull(attentionMask, "attentionMask");
        if (positionIds.length != batch * seqLen || attentionMask.length != batch * seqLen) {
            throw new IllegalArgumentException("positionIds and attentionMask must have batch*seqLen = " + batch * seqLen
                    + " entries, got " + positionIds.length + " and " + attentionMask.length);
        }
        if (promptLengths.length != batch || rows.length != batch) {
            throw new IllegalArgumentException("promptLengths and rows need " + batch + " entries, got " + promptLengths.length
                    + " and " + rows.length);
        }
    }
}
