package dev.steeropt.studies.analysis.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.studies.cli.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze patch} on the embedded pair: patching demo-hasty with its own cached activations changes nothing
 * (the same gold log-probability to the last bit and the same accuracy at every layer, through the patch's real
 * path); patching demo-careful's residual entering block 3 (the output of blocks 0-2, which carry the mode) at the
 * last prompt token into demo-hasty recovers most of the accuracy gap, and the embedding (layer 0) none.
 */
class PatchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void selfPatchIsAnIdentity() throws Exception {
        Path out = tmp.resolve("self");
        for (String positions : new String[] {"last", "all"}) {
            CliRun r = CliRun.of("analyze", "patch", "--target-model", "demo-hasty", "--source-model", "demo-hasty",
                    "--layers", "1,3", "--positions", positions, "--n", "20", "--out", out.toString());
            assertEquals(0, r.exitCode(), r.err());
            JsonNode json = new ObjectMapper().readTree(out.resolve(PatchCommand.JSON).toFile());
            for (JsonNode l : json.get("layers")) {
                assertEquals(json.get("target_gold_logprob").asDouble(), l.get("gold_logprob").asDouble(), 0.0,
                        positions + " " + l);
                assertEquals(json.get("target_accuracy").asDouble(), l.get("accuracy").asDouble(), 0.0, l.toString());
            }
        }
    }

    @Test
    void carefulResidualAtLayerThreeRecoversMostOfTheGap() throws Exception {
        Path out = tmp.resolve("cross");
        CliRun r = CliRun.of("analyze", "patch", "--target-model", "demo-hasty", "--source-model", "demo-careful",
                "--layers", "0,3", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(out.resolve(PatchCommand.JSON).toFile());
        assertTrue(json.get("source_accuracy").asDouble() > json.get("target_accuracy").asDouble() + 0.2, json.toString());
        JsonNode l0 = json.get("layers").get(0);
        JsonNode l3 = json.get("layers").get(1);
        assertTrue(Math.abs(l0.get("accuracy_recovered").asDouble()) < 0.1, l0.toString());
        assertTrue(l3.get("accuracy_recovered").asDouble() > 0.5, l3.toString());
        assertTrue(l3.get("logprob_recovered").asDouble() > 0.3, l3.toString());
        CliRun none = CliRun.of("analyze", "patch", "--out", tmp.resolve("n").toString());
        assertEquals(2, none.exitCode());
        assertTrue(none.err().startsWith("Error: analyze patch needs a source model"), none.err());
    }
}
