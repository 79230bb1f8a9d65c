package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.steering.SteeringVector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code steeropt validate-zero} on the tiny fixture models: exit 0 on the real path, 1 with an injected fault. */
class ValidateZeroCommandTest {
    static final String LLAMA = "../steering-core/src/test/resources/models/tiny-llama-fp32";

    @Test
    void passesOnPromptsWithARandomVector() {
        CliRun run = CliRun.of("validate-zero", "--model", LLAMA, "--prompt", "Q: 2+3? A:", "--prompt", "The answer is",
                "--max-new-tokens", "5");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("PASS"), run.out());
        assertEquals(6, run.out().lines().filter(l -> l.endsWith(" ok")).count(), run.out());
        assertTrue(run.out().contains("from_last_prompt_token"), run.out());
        assertTrue(run.out().contains("dac-seed-compat"), run.out());
    }

    @Test
    void injectedEpsilonIsAMismatchWithExitCode1() {
        CliRun run = CliRun.of("validate-zero", "--model", LLAMA, "--prompt", "Q: 2+3? A:", "--prompt", "The answer is",
                "--max-new-tokens", "4", "--inject-fault", "1e-4");
        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertEquals(5, run.out().lines().filter(l -> l.endsWith("MISMATCH")).count(), run.out());
        assertTrue(run.out().contains("FAIL: 5 of 6 rows mismatched"), run.out());
    }

    @Test
    void readsInputIdsAndAVectorFile(@TempDir Path dir) throws IOException {
        Path ids = dir.resolve("ids.json");
        Files.writeString(ids, "[[5, 17, 301, 42], [88, 3]]");
        float[] v = new float[64];
        v[7] = 2f;
        Path vec = dir.resolve("v.safetensors");
        SteeringVector.of(2, v, Map.of(SteeringVector.KEY_MEAN_RESIDUAL_NORM, "3.0")).save(vec);
        CliRun run = CliRun.of("validate-zero", "--model", "../steering-core/src/test/resources/models/tiny-qwen2-fp32",
                "--input-ids", ids.toString(), "--vector", vec.toString(), "--max-new-tokens", "3");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("vector layer 2"), run.out());
    }

    @Test
    void readsGsm8kQuestionsOffline(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("gsm8k"));
        Files.writeString(dir.resolve("gsm8k/test.jsonl"),
                "{\"question\": \"Tom has 3 apples and buys 2. How many?\", \"answer\": \"3+2=<<3+2=5>>5\\n#### 5\"}\n"
                        + "{\"question\": \"What is 4 times 6?\", \"answer\": \"4*6=<<4*6=24>>24\\n#### 24\"}\n");
        CliRun run = CliRun.of("validate-zero", "--model", LLAMA, "--dataset", "gsm8k", "--n", "2", "--data-dir", dir.toString(),
                "--offline", "--max-new-tokens", "3");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("2 prompts"), run.out());
    }

    @Test
    void needsExactlyOnePromptSource() {
        CliRun run = CliRun.of("validate-zero", "--model", LLAMA);
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("exactly one prompt source"), run.err());
        CliRun badVector = CliRun.of("validate-zero", "--model", LLAMA, "--prompt", "x", "--layer", "9");
        assertEquals(2, badVector.exitCode(), badVector.err());
    }
}
