package dev.steeropt.eval.prompts;

import dev.steeropt.eval.datasets.Problem;
import java.util.List;

/**
 * Zero-shot chain of thought for base models, as lm-evaluation-harness {@code gsm8k_cot_zeroshot}:
 * {@code "Q: {question}\nA: Let's think step by step."}; stops at {@code Q:}, {@code </s>}, {@code <|im_end|>}.
 */
public final class ZeroShotCot implements PromptVariant {
    static final String TEMPLATE = "Q: {question}\nA: Let's think step by step.";
    private static final List<String> STOPS = List.of("Q:", "</s>", "<|im_end|>");

    ZeroShotCot() {
    }

    @Override
    public String name() {
        return "zero-shot-cot";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public String render(Problem problem) {
        return TEMPLATE.replace("{question}", problem.question());
    }

    @Override
    public List<String> stopSequences() {
        return STOPS;
    }

    @Override
    public String description() {
        return "name=" + name() + "\nversion=" + version() + "\ntemplate=" + TEMPLATE + "\nstops=" + STOPS;
    }
}
