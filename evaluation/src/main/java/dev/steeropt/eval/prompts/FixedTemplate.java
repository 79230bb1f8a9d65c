package dev.steeropt.eval.prompts;

import dev.steeropt.eval.datasets.Problem;
import java.util.List;

/**
 * A prompt that is one template with a {@code {question}} slot and a fixed list of stop strings: zero-shot chain of
 * thought ({@link PromptVariants#zeroShotCot()}) and the demo model's question-answer format
 * ({@link PromptVariants#questionAnswer()}).
 */
public final class FixedTemplate implements PromptVariant {
    private final String name;
    private final int version;
    private final String template;
    private final List<String> stops;

    FixedTemplate(String name, int version, String template, List<String> stops) {
        this.name = name;
        this.version = version;
        this.template = template;
        this.stops = List.copyOf(stops);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public String render(Problem problem) {
        return template.replace("{question}", problem.question());
    }

    @Override
    public List<String> stopSequences() {
        return stops;
    }

    @Override
    public String description() {
        return "name=" + name + "\nversion=" + version + "\ntemplate=" + template + "\nstops=" + stops;
    }
}
