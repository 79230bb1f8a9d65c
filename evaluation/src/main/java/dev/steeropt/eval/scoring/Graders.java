package dev.steeropt.eval.scoring;

import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.extraction.BoxedAnswerExtractor;
import dev.steeropt.eval.extraction.Gsm8kExtractors;
import dev.steeropt.eval.extraction.Gsm8kNormalizer;
import dev.steeropt.eval.extraction.LatexAnswerNormalizer;
import dev.steeropt.eval.extraction.MinervaAnswerExtractor;
import java.util.Objects;
import java.util.Optional;

/** The graders per dataset. */
public final class Graders {
    private Graders() {
    }

    /**
     * GSM8K (and synthetic problems, which share its format): strict = first {@code #### N}, flexible = last number-like
     * token, each compared after lm-evaluation-harness normalisation, as strings or numbers
     * ({@link Gsm8kNormalizer#equivalent}).
     */
    public static Grader gsm8k() {
        return (problem, completion) -> {
            Objects.requireNonNull(completion, "completion");
            Optional<String> strict = Gsm8kExtractors.STRICT.extract(completion);
            Optional<String> flexible = Gsm8kExtractors.FLEXIBLE.extract(completion);
            return new Grade(
                    strict.map(s -> Gsm8kNormalizer.equivalent(s, problem.goldAnswer())).orElse(false),
                    flexible.map(s -> Gsm8kNormalizer.equivalent(s, problem.goldAnswer())).orElse(false),
                    strict.orElse(null), flexible.orElse(null));
        };
    }

    /**
     * MATH-500: strict = the last {@code \boxed{}} has the gold answer's normal form
     * ({@link LatexAnswerNormalizer#normalize}); flexible = the last {@code \boxed{}}, or failing that the Minerva
     * "final answer is X" sentence, is equivalent to the gold answer ({@link LatexAnswerNormalizer#equivalent}).
     */
    public static Grader math500() {
        return (problem, completion) -> {
            Objects.requireNonNull(completion, "completion");
            Optional<String> boxed = BoxedAnswerExtractor.INSTANCE.extract(completion);
            Optional<String> flexible = boxed.isPresent() ? boxed : MinervaAnswerExtractor.INSTANCE.extract(completion);
            String gold = LatexAnswerNormalizer.normalize(problem.goldAnswer());
            return new Grade(
                    boxed.map(b -> LatexAnswerNormalizer.normalize(b).equals(gold)).orElse(false),
                    flexible.map(f -> LatexAnswerNormalizer.equivalent(f, problem.goldAnswer())).orElse(false),
                    boxed.orElse(null), flexible.orElse(null));
        };
    }

    /** The grader for a dataset: {@link #gsm8k()} for gsm8k and synthetic, {@link #math500()} for math500. */
    public static Grader forDataset(DatasetName dataset) {
        switch (dataset) {
            case GSM8K:
            case SYNTHETIC:
                return gsm8k();
            case MATH500:
                return math500();
            default:
                throw new IllegalStateException("unhandled dataset " + dataset);
        }
    }
}
