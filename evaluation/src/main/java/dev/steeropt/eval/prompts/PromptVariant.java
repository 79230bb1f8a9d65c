package dev.steeropt.eval.prompts;

import dev.steeropt.eval.datasets.Problem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A named, versioned way of turning a problem into model input, with the stop sequences generation should use.
 *
 * <p>{@link #description()} is a canonical text of everything that changes the rendered prompt (name, version,
 * templates, instruction, chat-template id, exemplar ids and contents); {@link #hash()} is its SHA-256 and belongs in
 * every cache key that depends on the prompt. Implementations are immutable and thread-safe.
 */
public sealed interface PromptVariant permits ZeroShotChat, KShotBase, FixedTemplate {

    /** Short stable name, e.g. {@code k-shot-base}. */
    String name();

    /** Format version; bumped whenever rendering changes for the same inputs. */
    int version();

    /** The prompt for one problem. */
    String render(Problem problem);

    /** Strings at which generation stops (the stop string itself is not part of the answer). */
    List<String> stopSequences();

    /** Canonical description of everything that determines the rendered text. */
    String description();

    /** Lower-case hex SHA-256 of {@link #description()}. */
    default String hash() {
        return sha256Hex(description());
    }

    /** SHA-256 of UTF-8 text as lower-case hex. */
    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
