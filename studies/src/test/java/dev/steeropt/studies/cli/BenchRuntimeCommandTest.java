package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code steeropt bench-runtime} end to end on a one-layer model written by init-model: the output table, the JSON
 * shape of {@code --out}, and the memory check's verdict. No speed is asserted (figures come from real runs only).
 */
class BenchRuntimeCommandTest {

    private static Path tinyModel(Path dir) throws IOException {
        Path cfg = dir.resolve("config.json");
        Files.writeString(cfg, "{\"model_type\": \"llama\", \"hidden_size\": 32, \"num_hidden_layers\": 2,"
                + " \"num_attention_heads\": 2, \"intermediate_size\": 64, \"vocab_size\": 300,"
                + " \"max_position_embeddings\": 512, \"tie_word_embeddings\": true}");
        Path model = dir.resolve("model");
        assertEquals(0, CliRun.of("init-model", "--like", cfg.toString(), "--out", model.toString()).exitCode());
        return model;
    }

    @Test
    void writesTheProtocolFiguresAsJson(@TempDir Path dir) throws IOException {
        Path model = tinyModel(dir);
        Path out = dir.resolve("bench.json");
        Path baseline = Path.of(System.getProperty("steeropt.shared"), "baselines/perf-baseline.json");
        CliRun run = CliRun.of("bench-runtime", "--model", model.toString(), "--batches", "1,2", "--reps", "1",
                "--baseline", baseline.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("generate b2 tok/s (incl. prefill)"), run.out());
        assertTrue(run.out().contains("prefill 32x160 +hidden keep1 tok/s"), run.out());
        assertTrue(run.out().contains("no HF baseline for this parameter count"), run.out());
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        for (String b : new String[] {"1", "2"}) {
            JsonNode g = json.path("generate").path(b);
            for (String key : new String[] {"tok_s", "decode_only_tok_s", "steered_over_plain"}) {
                assertTrue(g.path(key).isNumber() && g.path(key).asDouble() > 0, b + "." + key + " in " + json);
            }
        }
        assertTrue(json.path("prefill_keep1_tok_s").asDouble() > 0, json.toString());
        assertTrue(json.path("peak_rss_mb").asDouble() > 0, json.toString());
    }

    @Test
    void hfPythonMeasuresHfOnTheSameModelInTheSameRun(@TempDir Path dir) throws IOException {
        Path python = Path.of("..", ".venv-hf", "bin", "python").toAbsolutePath().normalize();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(python),
                "SKIPPED: no " + python + " with torch and transformers (run .ci/run to make .venv-hf)");
        Path model = tinyModel(dir);
        Path script = Path.of(System.getProperty("steeropt.shared"), "tools/hf-bench.py");
        CliRun run = CliRun.of("bench-runtime", "--model", model.toString(), "--batches", "1", "--reps", "1",
                "--skip-prefill", "--hf-python", python.toString(), "--hf-bench", script.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("baseline: HF measured in this run"), run.err());
        // the HF column holds numbers (not "-") for every generate row: the script's keys were mapped
        for (String metric : new String[] {"generate b1 tok/s (incl. prefill)", "decode-only b1 tok/s", "steered/plain b1"}) {
            String row = run.out().lines().filter(l -> l.startsWith(metric)).findFirst().orElseThrow();
            String[] cols = row.substring(metric.length()).trim().split("\\s+");
            assertEquals(3, cols.length, row);
            for (String c : cols) {
                assertTrue(Double.parseDouble(c) > 0, row);
            }
        }
        assertTrue(run.out().contains("transformers 5."), run.out());
    }

    @Test
    void hfPythonThatIsNotAnExecutableIsOneErrorLine(@TempDir Path dir) throws IOException {
        Path model = tinyModel(dir);
        Path script = Path.of(System.getProperty("steeropt.shared"), "tools/hf-bench.py");
        CliRun run = CliRun.of("bench-runtime", "--model", model.toString(), "--hf-python", dir.resolve("nope").toString(),
                "--hf-bench", script.toString());
        assertEquals(2, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().startsWith("Error: --hf-python"), run.err());
        assertTrue(!run.err().contains("Exception"), run.err());
    }

    @Test
    void memoryCheckPassesWithStableLiveArraysAndBoundedRss(@TempDir Path dir) throws IOException {
        Path model = tinyModel(dir);
        CliRun run = CliRun.of("bench-runtime", "--model", model.toString(), "--memory-check", "--calls", "20");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("live arrays unchanged"), run.out());
        assertTrue(run.out().contains("RSS growth over calls 2..20"), run.out());
        assertTrue(run.out().contains("memory check passed"), run.out());
    }

    @Test
    void memoryCheckWithTooFewCallsIsAUsageError(@TempDir Path dir) throws IOException {
        Path model = tinyModel(dir);
        CliRun bad = CliRun.of("bench-runtime", "--model", model.toString(), "--memory-check", "--calls", "5");
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().startsWith("Error: --memory-check needs --calls >= 10"), bad.err());
    }

    @Test
    void missingModelIsAUsageError(@TempDir Path dir) {
        CliRun run = CliRun.of("bench-runtime", "--model", dir.resolve("nope").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("does not exist"), run.err());
    }
}
