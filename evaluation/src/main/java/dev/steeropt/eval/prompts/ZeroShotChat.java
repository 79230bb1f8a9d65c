package dev.steeropt.eval.prompts;

import dev.steeropt.eval.datasets.Problem;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Zero-shot prompt for chat models: one user turn, {@code instruction + "\n\n" + question}, rendered through the
 * model's chat template. The model side owns templates, so the caller passes the template as a function from messages
 * ({@code role}/{@code content} maps) to the prompt string, and an id for it (for example the SHA-256 of the template
 * source plus {@code add_generation_prompt}) that goes into the hash.
 *
 * <p>No text stop sequences: generation ends at the template's end-of-turn token, which the model side knows.
 */
public final class ZeroShotChat implements PromptVariant {
    /** The default instruction: reason step by step and end with {@code #### N}. */
    public static final String DEFAULT_INSTRUCTION = "Solve the following math problem. Reason step by step, then "
            + "write the final answer on its own line as '#### N', where N is a number without units.";

    private final String instruction;
    private final String chatTemplateId;
    private final Function<List<Map<String, String>>, String> chatTemplate;

    ZeroShotChat(String instruction, String chatTemplateId, Function<List<Map<String, String>>, String> chatTemplate) {
        if (instruction == null || instruction.isBlank()) {
            throw new IllegalArgumentException("instruction must be non-blank; use ZeroShotChat.DEFAULT_INSTRUCTION");
        }
        if (chatTemplateId == null || chatTemplateId.isBlank()) {
            throw new IllegalArgumentException("chatTemplateId must identify the chat template (e.g. its SHA-256), "
                    + "got '" + chatTemplateId + "'; without it two models' prompts would share cache entries.");
        }
        this.instruction = instruction;
        this.chatTemplateId = chatTemplateId;
        this.chatTemplate = Objects.requireNonNull(chatTemplate, "chatTemplate");
    }

    /** The messages for one problem: a single user turn. */
    public List<Map<String, String>> messages(Problem problem) {
        return List.of(Map.of("role", "user", "content", instruction + "\n\n" + problem.question()));
    }

    @Override
    public String name() {
        return "zero-shot-chat";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public String render(Problem problem) {
        String prompt = chatTemplate.apply(messages(problem));
        if (prompt == null || prompt.isEmpty()) {
            throw new IllegalStateException("chat template '" + chatTemplateId + "' rendered an empty prompt for '"
                    + problem.id() + "'; check the template function.");
        }
        return prompt;
    }

    @Override
    public List<String> stopSequences() {
        return List.of();
    }

    @Override
    public String description() {
        return "name=" + name() + "\nversion=" + version() + "\ninstruction=" + instruction
                + "\nchat_template_id=" + chatTemplateId + "\nstops=[]";
    }
}
