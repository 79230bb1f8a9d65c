package dev.steeropt.studies.cli;

import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.eval.EvaluationInputException;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Gsm8k;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.prompts.PromptVariant;
import dev.steeropt.eval.prompts.PromptVariants;
import dev.steeropt.eval.synthetic.SyntheticGenerator;
import dev.steeropt.studies.demo.DemoData;
import dev.steeropt.studies.demo.DemoModelTraining;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The prompts {@code validate-zero} checks when given no prompt source, from the model's own world: for a demo model
 * (one written by {@code train-demo-model}, the embedded one included) held-out synthetic problems of difficulty 1, 2,
 * 3, 4, … in the demo's {@code Question: … Answer:} format, so the rows have different lengths; for any other model the
 * first GSM8K test questions as zero-shot chain-of-thought prompts.
 *
 * @param texts  the prompt texts
 * @param source where they came from, for the report
 */
record DefaultPrompts(List<String> texts, String source) {
    /** Seed of the synthetic problems (any fixed seed: the check needs fixed prompts, not training data). */
    static final long DEMO_SEED = 0;

    static DefaultPrompts forModel(Path modelDir, DataOptions data, int count) {
        if (DemoModelTraining.isDemoModel(modelDir)) {
            DemoData demo = new DemoData(DEMO_SEED, DemoData.DEFAULT_WEIGHTS);
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int difficulty = 1 + i % SyntheticGenerator.MAX_DIFFICULTY;
                Problem p = demo.heldOut("validation", difficulty, 1 + i / SyntheticGenerator.MAX_DIFFICULTY, Set.of())
                        .get(i / SyntheticGenerator.MAX_DIFFICULTY);
                texts.add(DemoData.prompt(p.question()));
            }
            return new DefaultPrompts(texts, "demo problems of difficulty 1-" + Math.min(count, SyntheticGenerator.MAX_DIFFICULTY));
        }
        List<Problem> items;
        try {
            items = Gsm8k.load(data.ensure(DatasetName.GSM8K, "test"), Gsm8k.Split.TEST);
        } catch (EvaluationInputException e) {
            throw UserFacingException.usage("No prompt source given, and the default GSM8K test questions are not available",
                    e.getMessage(), "Pass --prompt TEXT (repeatable) or --input-ids FILE.json, or --data-dir DIR holding"
                            + " gsm8k/test.jsonl.");
        }
        PromptVariant variant = PromptVariants.zeroShotCot();
        List<String> texts = new ArrayList<>();
        for (Problem p : items.subList(0, Math.min(count, items.size()))) {
            texts.add(variant.render(p));
        }
        return new DefaultPrompts(texts, "the first " + texts.size() + " GSM8K test questions");
    }
}
