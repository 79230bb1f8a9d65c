package dev.steeropt.studies.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.studies.cli.CliRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test evaluation's baseline arm runs the best configuration's temperature and per-item sampling seeds with the
 * steering removed (common random numbers), and the greedy unsteered arm is reported beside it. A search restricted to
 * α = 0 at T = 0.9 makes the best configuration equal to its own baseline, so the two arms must agree item for item
 * (they would not if the baseline drew other random numbers, or decoded greedily), while the greedy arm differs.
 */
class CommonRandomNumbersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void baselineArmSharesTheBestConfigurationsSamplingAndGreedyIsReportedBeside() throws Exception {
        Path data = OptimizeRuns.writeData(tmp.resolve("data"));
        Path out = tmp.resolve("out");
        List<String> args = OptimizeRuns.args(data, "sqlite:///" + out.resolve("study.db"), out, "crn", 2, 12);
        args.set(args.indexOf("{\"method\":[\"CAA\"]}"),
                "{\"method\":[\"CAA\"],\"alpha\":[0,0],\"temperature\":[0.9,0.9]}");
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        JsonNode fin = JSON.readTree(out.resolve("final_results.json").toFile());
        JsonNode test = fin.get("test");
        assertEquals("common_random_numbers", test.get("baseline_kind").asText());
        assertEquals(0.9, test.get("baseline").get("params").get("temperature").asDouble(), 1e-12);
        assertEquals(0.0, test.get("baseline").get("params").get("alpha").asDouble());
        assertEquals(0.0, test.get("greedy_baseline").get("params").get("temperature").asDouble());
        assertEquals(0.0, test.get("gain").get("observed").asDouble(), "the best is its own baseline");
        int greedyDiffers = 0;
        for (JsonNode item : fin.get("items")) {
            assertEquals(item.get("baseline").get("completion"), item.get("best").get("completion"), item.toString());
            greedyDiffers += item.get("greedy_baseline").get("completion").equals(item.get("baseline").get("completion"))
                    ? 0 : 1;
        }
        assertTrue(greedyDiffers > 0, "sampling at T = 0.9 should change some completion of the random tiny model");
        assertTrue(run.out().contains("greedy baseline (no steering, greedy)"), run.out());
    }
}
