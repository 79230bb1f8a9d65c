package dev.steeropt.eval.prompts;

import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.splits.SplitPlan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Factories for the prompt variants. */
public final class PromptVariants {
    private PromptVariants() {
    }

    /**
     * Zero-shot chain of thought for base models, as lm-evaluation-harness {@code gsm8k_cot_zeroshot}:
     * {@code "Q: {question}\nA: Let's think step by step."}; stops at {@code Q:}, {@code </s>}, {@code <|im_end|>}.
     */
    public static PromptVariant zeroShotCot() {
        return new FixedTemplate("zero-shot-cot", 1, "Q: {question}\nA: Let's think step by step.",
                List.of("Q:", "</s>", "<|im_end|>"));
    }

    /**
     * The plain format the demo models are trained on: {@code "Question: {question}\nAnswer: "}, the model continuing
     * with the solution; stops at {@code \nQuestion:} and {@code </s>}. The prompt ends with the space before the
     * answer (version 2; version 1 left it to the model), so the last prompt token is the one whose output picks the
     * answer's first character, where a demo model chooses between a worked chain and a shortcut. Only for
     * character-level tokenizers, where the space is a token of its own: a BPE tokenizer would split it off the word
     * it normally starts.
     */
    public static PromptVariant questionAnswer() {
        return new FixedTemplate("question-answer", 2, "Question: {question}\nAnswer: ", List.of("\nQuestion:", "</s>"));
    }

    /**
     * Zero-shot chat with {@link ZeroShotChat#DEFAULT_INSTRUCTION}.
     *
     * @param chatTemplateId identifies the template in the hash (e.g. the SHA-256 of its source)
     * @param chatTemplate   renders role/content messages into the model's prompt string
     */
    public static PromptVariant zeroShotChat(String chatTemplateId,
                                             Function<List<Map<String, String>>, String> chatTemplate) {
        return new ZeroShotChat(ZeroShotChat.DEFAULT_INSTRUCTION, chatTemplateId, chatTemplate);
    }

    /** Zero-shot chat with a custom instruction. */
    public static PromptVariant zeroShotChat(String instruction, String chatTemplateId,
                                             Function<List<Map<String, String>>, String> chatTemplate) {
        return new ZeroShotChat(instruction, chatTemplateId, chatTemplate);
    }

    /** k-shot base prompt with the given exemplars, in order. Prefer {@link #kShotFromTrain}. */
    public static KShotBase kShotBase(List<Problem> exemplars) {
        return new KShotBase(exemplars);
    }

    /**
     * k-shot base prompt whose exemplars are {@code k} train items of {@code plan}, picked by the lowest
     * {@code SHA-256("exemplar:" + seed + ":" + id)}.
     *
     * @param plan the study's splits; exemplars come from {@code plan.train()} only
     * @param pool the problems the train split was drawn from
     * @throws IllegalArgumentException if train has fewer than {@code k} items
     */
    public static KShotBase kShotFromTrain(SplitPlan plan, List<Problem> pool, int k, long seed) {
        if (k < 0 || k > plan.train().size()) {
            throw new IllegalArgumentException("k must be in [0, " + plan.train().size() + "] (the train size), got "
                    + k + "; enlarge the train split or lower k.");
        }
        List<Problem> train = new ArrayList<>(plan.train().select(pool));
        Map<String, byte[]> keys = new HashMap<>();
        for (Problem p : train) {
            keys.put(p.id(), sha256("exemplar:" + seed + ":" + p.id()));
        }
        train.sort(Comparator.<Problem, byte[]>comparing(p -> keys.get(p.id()), Arrays::compareUnsigned)
                .thenComparing(Problem::id));
        List<Problem> exemplars = train.subList(0, k);
        plan.requireInTrain(exemplars.stream().map(Problem::id).toList());
        return new KShotBase(exemplars);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
