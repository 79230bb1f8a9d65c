package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.synthetic.SyntheticDataset;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI on the fixtures of the newer architectures (issue 17): {@code validate-zero} passes on each (alpha = 0
 * bit-identical through every steered path: methods, batch shapes, prefix reuse, decodings), and {@code optimize
 * --mode debug} runs end to end on each, through its tokenizer (a short budget: 3 trials, 4 items per split).
 */
class NewerArchitecturesCliTest {
    private static final String MODELS = "../steering-core/src/test/resources/models/";

    @ParameterizedTest
    @ValueSource(strings = {"tiny-qwen3-fp32", "tiny-gemma2-fp32", "tiny-gemma3-fp32", "tiny-phi3-fp32", "tiny-olmo2-fp32",
        "tiny-mistral-sw-fp32", "tiny-gptneox-fp32"})
    void validateZeroPasses(String name) {
        CliRun run = CliRun.of("validate-zero", "--model", MODELS + name, "--prompt", "Q: 2+3? A: the sum of two and three is",
                "--prompt", "The answer is", "--max-new-tokens", "4");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("PASS: " + ValidateZeroCommandTest.ROWS + " rows"), run.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-qwen3-fp32", "tiny-gemma2-fp32", "tiny-gemma3-fp32", "tiny-phi3-fp32", "tiny-olmo2-fp32",
        "tiny-mistral-sw-fp32", "tiny-gptneox-fp32"})
    void optimizeDebugRunsEndToEnd(String name, @TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        List<Problem> pool = SyntheticDataset.generate(5, "train", 8);
        Set<String> keys = new HashSet<>();
        pool.forEach(p -> keys.add(SyntheticDataset.key(p.question())));
        SyntheticDataset.writeJsonl(pool, data.resolve("synthetic/train.jsonl"));
        SyntheticDataset.writeJsonl(SyntheticDataset.generate(5, "test", 4, 0, keys), data.resolve("synthetic/test.jsonl"));
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("optimize", "--mode", "debug", "--model", MODELS + name, "--dataset", "synthetic", "--data-dir",
                data.toString(), "--train-size", "4", "--val-size", "4", "--test-size", "4", "--chunks", "2", "--max-new-tokens", "4",
                "--seed", "5", "--n-trials", "3", "--search-space", "{\"method\":[\"CAA\"]}", "--pairs", "answer_off_by_one",
                "--study-name", "arch", "--output-dir", out.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("Best trial #") && run.out().contains("Test (4 items"), run.out());
        assertTrue(out.resolve("final_results.json").toFile().isFile());
    }
}
