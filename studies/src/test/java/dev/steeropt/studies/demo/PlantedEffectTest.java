package dev.steeropt.studies.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.studies.cli.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo world end to end: {@code optimize} on the embedded {@code demo-hasty} with a short budget and a fixed seed
 * must recover the planted effect (a steered configuration whose single test evaluation beats its own α = 0 baseline
 * by at least 10 points with exact McNemar p &lt; 0.05), and on {@code demo-careful}, which is careful already, the
 * same search must not find a significant gain. The vectors come from each model's own train split
 * ({@code careful_vs_hasty} pairs), nothing from validation or test.
 */
class PlantedEffectTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SHORT = {"--train-size", "32", "--val-size", "48", "--test-size", "120",
            "--n-trials", "8", "--sampler-startup-trials", "4", "--seed", "3"};

    @TempDir
    Path tmp;

    @Test
    void searchOnDemoHastyRecoversTheCarefulDirection() throws Exception {
        JsonNode test = run("demo-hasty");
        JsonNode best = test.get("best").get("params");
        assertNotEquals(0.0, best.get("alpha").asDouble(), "the best configuration steers: " + best);
        assertTrue(test.get("gain").get("observed").asDouble() >= 0.10, test.toString());
        assertTrue(test.get("mcnemar").get("p_value").asDouble() < 0.05, test.toString());
    }

    @Test
    void searchOnDemoCarefulFindsNoSignificantGain() throws Exception {
        JsonNode test = run("demo-careful");
        boolean significant = test.get("mcnemar").get("p_value").asDouble() < 0.05
                && test.get("gain").get("ci95").get(0).asDouble() > 0;
        assertTrue(!significant, "demo-careful is careful already: " + test);
    }

    private JsonNode run(String model) throws Exception {
        Path out = tmp.resolve(model);
        String[] args = new String[SHORT.length + 7];
        String[] head = {"optimize", "--model", model, "--output-dir", out.toString(), "--study-name", model};
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(SHORT, 0, args, head.length, SHORT.length);
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exitCode(), r.err());
        JsonNode fin = JSON.readTree(out.resolve("final_results.json").toFile());
        return fin.get("test");
    }
}
