package dev.steeropt.studies.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.studies.cli.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code optimize --layers auto} through the cross-validated probes of {@code analyze probes}: the study runs, the
 * probe report lists every layer with its balance and folds, and the searched range is reported from it.
 */
class AutoLayersTest {
    @Test
    void autoLayersCrossValidatesTheTrainPairs(@TempDir Path tmp) throws Exception {
        Path data = OptimizeRuns.writeData(tmp.resolve("data"));
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of(OptimizeRuns.args(data, "sqlite:///" + out.resolve("study.db"), out, "auto", 2, 4, "--layers",
                "auto").toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("--layers auto: best probe AUC at layers"), run.err());
        JsonNode r = new ObjectMapper().readTree(out.resolve("probes.json").toFile());
        JsonNode overall = r.get("overall");
        assertEquals(4, overall.get("layers").size(), "every layer of the 4-layer tiny llama probed");
        assertEquals(4, r.get("folds").asInt(), "4 pairs: one pair per fold");
        assertEquals(overall.get("balance").get("after").get("positive").asInt(), overall.get("balance").get("after").get("negative").asInt());
        for (JsonNode l : overall.get("layers")) {
            assertEquals(8, l.get("n").asInt(), "both sides of the 4 pairs scored");
            double auc = l.get("auc").asDouble();
            assertTrue(auc >= 0 && auc <= 1, l.toString());
        }
    }
}
