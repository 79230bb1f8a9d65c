package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchSamplerCommandTest {
    @TempDir
    Path dir;

    @Test
    void smallRunWritesTheOptunaBaselineShapeAndPrintsOptunaBesideUs() throws Exception {
        Path out = dir.resolve("b.json");
        Path baseline = Path.of(System.getProperty("steeropt.shared", "../../shared"),
                "baselines/optuna-baseline-results.json");
        CliRun run = CliRun.of("bench-sampler", "--out", out.toString(), "--seeds", "2", "--n-trials", "30",
                "--samplers", "tpe_default,random", "--objectives", "steer5", "--skip-storage",
                "--baseline", baseline.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = new ObjectMapper().readTree(out.toFile());
        assertEquals("optuna-baseline/v1", r.path("schema").asText());
        JsonNode rows = r.path("results");
        assertTrue(rows.size() >= 2, rows.toString());
        for (JsonNode row : rows) {
            assertEquals("steer5", row.path("objective").asText());
            assertEquals(2, row.path("best_per_seed").size());
            double best = row.path("best_median").asDouble();
            assertTrue(best > -1.0001 && best < 1.0, "steer5's global minimum is -1: " + best);
        }
        assertTrue(run.out().contains("| optuna master | tpe_default | steer5 | -0.8496"), run.out());
    }

    @Test
    void unknownSamplerIsAUsageError() {
        CliRun run = CliRun.of("bench-sampler", "--out", dir.resolve("x.json").toString(), "--samplers", "cmaes",
                "--skip-storage");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("cmaes"), run.err());
    }
}
