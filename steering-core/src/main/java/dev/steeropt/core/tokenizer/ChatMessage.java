package dev.steeropt.core.tokenizer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One turn of a conversation, as Hugging Face chat templates see it: {@code {"role": ..., "content": ...}}.
 *
 * <p>Immutable. The role is free text ({@code system}, {@code user}, {@code assistant}, or whatever a template
 * accepts); templates that reject a role say so through {@code raise_exception}.
 *
 * @param role    who speaks, e.g. {@code "user"}; not blank
 * @param content what is said; may be empty, not null
 */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (role.isBlank()) {
            throw new IllegalArgumentException(
                    "ChatMessage role is blank; expected a role such as \"system\", \"user\" or \"assistant\"");
        }
    }

    /** A {@code system} message. */
    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    /** A {@code user} message. */
    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    /** An {@code assistant} message. */
    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }

    /** The message as the mutable map a template indexes ({@code message['role']} or {@code message.role}). */
    Map<String, Object> toTemplateMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("role", role);
        map.put("content", content);
        return map;
    }
}
