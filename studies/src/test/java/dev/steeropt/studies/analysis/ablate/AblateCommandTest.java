package dev.steeropt.studies.analysis.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.studies.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance on the embedded pair (seed 0, 100 validation items): mean-ablating block 2 of demo-hasty takes away the
 * planted hasty mode (significantly fewer hasty answers, more careful chains) while the model still answers, i.e.
 * the mode needs layer 2; the layer-1 ablation is measured beside it.
 */
class AblateCommandTest {
    @TempDir
    Path tmp;

    @Test
    void meanAblatingBlockTwoRemovesTheHastyMode() throws Exception {
        Path out = tmp.resolve("ablate");
        CliRun r = CliRun.of("analyze", "ablate", "--model", "demo-hasty", "--layers", "1-2", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(out.resolve(AblateCommand.JSON).toFile());
        JsonNode intact = json.get("intact");
        JsonNode l2 = json.get("ablated").get(1);
        assertEquals(2, l2.get("layers").get(0).asInt());
        assertTrue(intact.get("hasty_share").asDouble() > 0.8, intact.toString());
        assertTrue(l2.get("hasty_share").asDouble() < intact.get("hasty_share").asDouble() - 0.3, l2.toString());
        assertTrue(l2.get("hasty_mcnemar_p").asDouble() < 0.001, l2.toString());
        assertTrue(l2.get("careful_share").asDouble() > intact.get("careful_share").asDouble() + 0.1, l2.toString());
        assertEquals(json.get("n_reference").asInt(), 64, "the mean is taken over the train prompts");
        assertTrue(Files.size(out.resolve(AblateCommand.PLOT)) > 1000);
        CliRun bad = CliRun.of("analyze", "ablate", "--component", "head", "--out", tmp.resolve("b").toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().startsWith("Error:") && bad.err().contains("block"), bad.err());
    }
}
