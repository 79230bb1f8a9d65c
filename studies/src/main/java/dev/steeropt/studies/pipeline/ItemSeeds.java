package dev.steeropt.studies.pipeline;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Per-item sampling seeds: a function of (study seed, item id) only, so every arm and every trial draws the same
 * random numbers for an item, and paired comparisons differ only by their settings.
 */
public final class ItemSeeds {
    private ItemSeeds() {}

    /** The first 8 bytes of SHA-256({@code studySeed + ":" + itemId}), as a long. */
    public static long of(long studySeed, String itemId) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((studySeed + ":" + itemId).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(d, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
