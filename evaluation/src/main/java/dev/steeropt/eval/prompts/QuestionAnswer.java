package dev.steeropt.eval.prompts;

import dev.steeropt.eval.datasets.Problem;
import java.util.List;

/**
 * The plain format the demo model is trained on: {@code "Question: {question}\nAnswer:"}, the model continuing with
 * {@code " " + solution}; stops at {@code \nQuestion:} and {@code </s>}.
 */
public final class QuestionAnswer implements PromptVariant {
    static final String TEMPLATE = "Question: {question}\nAnswer:";
    private static final List<String> STOPS = List.of("\nQuestion:", "</s>");

    QuestionAnswer() {
    }

    @Override
    public String name() {
        return "question-answer";
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
