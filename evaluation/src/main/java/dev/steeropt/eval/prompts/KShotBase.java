package dev.steeropt.eval.prompts;

import dev.steeropt.eval.datasets.Problem;
import java.util.List;
import java.util.stream.Collectors;

/**
 * k-shot prompt for base models, as lm-evaluation-harness {@code gsm8k}: each exemplar is
 * {@code "Question: {q}\nAnswer: {full solution ending in #### N}"}, exemplars and the target are separated by a blank
 * line, and the target ends with {@code "Question: {q}\nAnswer:"}. Stops at {@code Question:}, {@code </s>},
 * {@code <|im_end|>}.
 *
 * <p>Rendering a problem that is itself an exemplar is refused: it would leak the answer.
 */
public final class KShotBase implements PromptVariant {
    private static final List<String> STOPS = List.of("Question:", "</s>", "<|im_end|>");

    private final List<Problem> exemplars;
    private final String prefix;

    KShotBase(List<Problem> exemplars) {
        this.exemplars = List.copyOf(exemplars);
        StringBuilder sb = new StringBuilder();
        for (Problem e : this.exemplars) {
            sb.append("Question: ").append(e.question()).append("\nAnswer: ").append(e.goldSolution()).append("\n\n");
        }
        this.prefix = sb.toString();
    }

    /** The exemplars, in prompt order. */
    public List<Problem> exemplars() {
        return exemplars;
    }

    @Override
    public String name() {
        return "k-shot-base";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public String render(Problem problem) {
        for (Problem e : exemplars) {
            if (e.id().equals(problem.id())) {
                throw new IllegalArgumentException("problem '" + problem.id() + "' is one of the prompt's exemplars; "
                        + "evaluate only items outside the exemplars' train split.");
            }
        }
        return prefix + "Question: " + problem.question() + "\nAnswer:";
    }

    @Override
    public List<String> stopSequences() {
        return STOPS;
    }

    @Override
    public String description() {
        return "name=" + name() + "\nversion=" + version() + "\nk=" + exemplars.size()
                + "\nexemplar_ids=" + exemplars.stream().map(Problem::id).collect(Collectors.joining(","))
                + "\nexemplar_text_sha256=" + PromptVariant.sha256Hex(prefix) + "\nstops=" + STOPS;
    }
}
