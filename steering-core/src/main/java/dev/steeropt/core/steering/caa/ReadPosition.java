package dev.steeropt.core.steering.caa;

/**
 * Which token of a sequence an activation is read at, counted from its end: 1 is the last token (the default, the
 * seed's and steering-vectors' {@code read_token_index=-1}), 2 the one before (CAA's answer letter in
 * {@code "(A)"}).
 *
 * @param fromEnd ≥ 1
 */
public record ReadPosition(int fromEnd) {
    public ReadPosition {
        if (fromEnd < 1) {
            throw new IllegalArgumentException("read position counts from the end starting at 1 (the last token), got " + fromEnd);
        }
    }

    /** The last token of each sequence. */
    public static ReadPosition lastToken() {
        return new ReadPosition(1);
    }

    /** The index of the read token in an unpadded sequence of {@code length} tokens. */
    public int index(int length) {
        if (fromEnd > length) {
            throw new IllegalArgumentException("cannot read token " + fromEnd + " from the end of a " + length + "-token sequence");
        }
        return length - fromEnd;
    }

    /** Stable name for cache keys and metadata: {@code last_token} or {@code from_end_K}. */
    public String label() {
        return fromEnd == 1 ? "last_token" : "from_end_" + fromEnd;
    }
}
