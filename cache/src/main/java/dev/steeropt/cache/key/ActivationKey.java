package dev.steeropt.cache.key;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that determines a cached activation tensor. Two runs that agree on every part may share an entry; a
 * change in any part (another model, another split or item list, another hook point, prompt template, tokenisation
 * or read position, or a new format version) is a different key.
 *
 * @param modelFingerprint   {@link Fingerprints#model} of the model directory (config, weights, tokenizer)
 * @param split              split name, e.g. {@code train}
 * @param splitHash          hash of the split's ordered item-id list
 * @param hookPoint          canonical hook name, e.g. {@code blocks.3.hook_resid_post}
 * @param promptVariantHash  hash of the prompt variant (template, version, exemplars)
 * @param tokenization       tokenisation settings that change ids (e.g. {@code special=true,pad=left})
 * @param readPosition       which positions were read, e.g. {@code last_prompt_token}
 * @param formatVersion      payload format version; bump to invalidate every entry
 */
public record ActivationKey(String modelFingerprint, String split, String splitHash, String hookPoint,
        String promptVariantHash, String tokenization, String readPosition, int formatVersion) {

    /** The current payload format. */
    public static final int FORMAT_VERSION = 1;

    public ActivationKey {
        Objects.requireNonNull(modelFingerprint, "modelFingerprint");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(splitHash, "splitHash");
        Objects.requireNonNull(hookPoint, "hookPoint");
        Objects.requireNonNull(promptVariantHash, "promptVariantHash");
        Objects.requireNonNull(tokenization, "tokenization");
        Objects.requireNonNull(readPosition, "readPosition");
        if (formatVersion < 1) {
            throw new IllegalArgumentException("formatVersion must be >= 1, got " + formatVersion);
        }
    }

    /** The key's parts by name, in a fixed order (written into each entry's manifest). */
    public Map<String, Object> parts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", modelFingerprint);
        m.put("split", split);
        m.put("split_hash", splitHash);
        m.put("hook_point", hookPoint);
        m.put("prompt_variant", promptVariantHash);
        m.put("tokenization", tokenization);
        m.put("read_position", readPosition);
        m.put("format_version", formatVersion);
        return m;
    }

    /** SHA-256 over the parts, as 64 hex digits: the entry's name on disk. */
    public String digest() {
        StringBuilder canonical = new StringBuilder();
        parts().forEach((k, v) -> canonical.append(k).append('=').append(v).append('\n'));
        return sha256Hex(canonical.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
