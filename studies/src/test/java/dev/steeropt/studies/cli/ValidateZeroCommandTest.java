package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.studies.demo.DemoModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code steeropt validate-zero}: with no arguments on the default demo model, on the fixture models, as JSON, and
 * with each injected fault (exit 1), all through the same check code.
 */
class ValidateZeroCommandTest {
    static final String LLAMA = "../steering-core/src/test/resources/models/tiny-llama-fp32";
    /** 2 decodings × 2 batch shapes × 2 prefix modes × 5 methods, then 2 "different" and 4 batch-vs-single controls. */
    static final int ROWS = 48 + 2 + 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The table lines of the report (they start with the row number). */
    private static List<String> tableRows(String out) {
        return out.lines().filter(l -> l.matches("^\\d+\\s+(caa|dac|dac-seed-compat)\\s.*")).toList();
    }

    /** The hook_calls column of a table line. */
    private static long hookCalls(String line) {
        String[] f = line.trim().split("\\s+");
        return Long.parseLong(f[9]);
    }

    @Test
    void noArgumentsPassesOnTheDemoModelWithHookCallsOnEveryRow() {
        CliRun run = CliRun.of("validate-zero");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().startsWith("model " + DemoModel.DEFAULT_NAME + " (embedded, "), run.out());
        assertTrue(run.out().contains("4 prompts (demo problems of difficulty 1-4"), run.out());
        List<String> rows = tableRows(run.out());
        assertEquals(ROWS, rows.size(), run.out());
        for (String r : rows) {
            assertTrue(r.endsWith(" ok"), r);
            assertTrue(hookCalls(r) > 0, r);
        }
        assertTrue(run.out().contains("alpha_t (prompt 0)"), run.out());
        assertTrue(run.out().contains("PASS: " + ROWS + " rows"), run.out());
    }

    @Test
    void jsonRowsCarryTheFieldsAndDacTraces() throws IOException {
        CliRun run = CliRun.of("validate-zero", "--format", "json", "--max-new-tokens", "4");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        JsonNode root = JSON.readTree(run.out());
        assertTrue(root.get("passed").asBoolean());
        JsonNode lengths = root.at("/prompts/token_lengths");
        Set<Integer> distinct = new HashSet<>();
        lengths.forEach(l -> distinct.add(l.asInt()));
        assertEquals(4, distinct.size(), "default prompts of different lengths: " + lengths);
        assertEquals(ROWS, root.get("rows").size());
        int dacRows = 0;
        Set<String> expects = new HashSet<>();
        for (JsonNode r : root.get("rows")) {
            for (String key : new String[] {"method", "positions", "batch_size", "prefix_reuse", "alpha", "expect", "hook_calls",
                    "tokens_identical", "logits_identical", "passed"}) {
                assertTrue(r.has(key), key + " missing in " + r);
            }
            assertTrue(r.get("alpha").isNumber(), r.toString());
            assertTrue(r.get("hook_calls").asLong() > 0, r.toString());
            expects.add(r.get("expect").asText());
            if (r.has("dac")) {
                dacRows++;
                JsonNode alphaT = r.at("/dac/alpha_t");
                assertEquals(r.get("batch_size").asInt(), alphaT.size());
                assertEquals(4, alphaT.get(0).size(), "one alpha_t per generated token");
                assertEquals(4, r.at("/dac/d_t/0").size());
                assertEquals(4, r.at("/dac/nucleus_size/0").size());
                if (r.get("alpha").asDouble() == 0) {
                    alphaT.forEach(row -> row.forEach(a -> assertEquals(0.0, a.asDouble())));
                }
            }
        }
        assertEquals(8 + 2, dacRows, "8 zero rows and 2 controls run DAC with a probe");
        assertEquals(Set.of("identical", "different"), expects);
    }

    @Test
    void everyInjectedFaultExitsWith1() {
        for (String fault : new String[] {"constant-shift", "skipped-hook", "zero-shortcut", "wrong-row"}) {
            CliRun run = CliRun.of("validate-zero", "--max-new-tokens", "2", "--inject-fault", fault);
            assertEquals(1, run.exitCode(), fault + "\n" + run.out() + run.err());
            assertTrue(run.out().contains("fault " + fault), run.out());
            List<String> rows = tableRows(run.out());
            long failed = rows.stream().filter(l -> !l.endsWith(" ok")).count();
            assertTrue(run.out().contains("FAIL: " + failed + " of " + ROWS + " rows failed"), run.out());
            switch (fault) {
                case "constant-shift" -> assertTrue(rows.subList(0, 48).stream().allMatch(l -> l.endsWith("MISMATCH")), run.out());
                case "skipped-hook" -> assertTrue(rows.stream().allMatch(l -> l.endsWith("FAIL: no hook call")), run.out());
                case "zero-shortcut" -> assertEquals(48, failed, "the zero rows, with 0 hook calls\n" + run.out());
                default -> assertEquals(List.of(rows.get(ROWS - 1)), rows.stream().filter(l -> !l.endsWith(" ok")).toList(),
                        "only DAC's batch-vs-single row can see a row swap\n" + run.out());
            }
        }
        CliRun bad = CliRun.of("validate-zero", "--inject-fault", "nonsense");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().startsWith("Error: --inject-fault"), bad.err());
    }

    @Test
    void passesOnAFixtureWithPromptsAndARandomVector() {
        CliRun run = CliRun.of("validate-zero", "--model", LLAMA, "--prompt", "Q: 2+3? A:", "--prompt", "The answer is",
                "--max-new-tokens", "5");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertEquals(ROWS, tableRows(run.out()).stream().filter(l -> l.endsWith(" ok")).count(), run.out());
        assertTrue(run.out().contains("from_last_prompt_token"), run.out());
        assertTrue(run.out().contains("dac-seed-compat"), run.out());
        CliRun shifted = CliRun.of("validate-zero", "--model", LLAMA, "--prompt", "Q: 2+3? A:", "--prompt", "The answer is",
                "--max-new-tokens", "4", "--inject-fault", "constant-shift");
        assertEquals(1, shifted.exitCode(), shifted.out() + shifted.err());
        assertTrue(shifted.out().contains("FAIL: 48 of " + ROWS + " rows failed"), shifted.out());
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
    void aFixtureWithoutPromptsChecksGsm8kTestQuestions() {
        String data = Path.of(System.getProperty("steeropt.shared"), "data").toString();
        CliRun run = CliRun.of("validate-zero", "--model", LLAMA, "--data-dir", data, "--offline", "--max-new-tokens", "3");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("4 prompts (the first 4 GSM8K test questions"), run.out());
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
    void badInputGetsOneErrorLineAndExitCode2(@TempDir Path empty) {
        CliRun two = CliRun.of("validate-zero", "--model", LLAMA, "--prompt", "x", "--dataset", "gsm8k");
        assertEquals(2, two.exitCode());
        assertTrue(two.err().startsWith("Error: validate-zero takes one prompt source"), two.err());
        CliRun noData = CliRun.of("validate-zero", "--model", LLAMA, "--data-dir", empty.toString(), "--offline");
        assertEquals(2, noData.exitCode(), noData.out() + noData.err());
        assertTrue(noData.err().startsWith("Error: No prompt source given") && noData.err().lines().count() == 1, noData.err());
        CliRun badVector = CliRun.of("validate-zero", "--model", LLAMA, "--prompt", "x", "--layer", "9");
        assertEquals(2, badVector.exitCode(), badVector.err());
        CliRun format = CliRun.of("validate-zero", "--format", "xml");
        assertEquals(2, format.exitCode());
        assertFalse(format.err().contains("\tat "), format.err());
    }
}
