package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.eval.synthetic.SyntheticDataset;
import dev.steeropt.studies.demo.DemoData;
import dev.steeropt.studies.demo.DemoModelTraining;
import dev.steeropt.studies.demo.DemoWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code steeropt train-demo-model} building the demo world for a few steps: the layout, the fine-tunes' lineage and
 * mode shares in the manifests, and that every model's manifest gives back every question its weights saw.
 */
class TrainDemoWorldCommandTest {

    @Test
    void buildsBaseAndBothFineTunesWithManifests(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("w");
        CliRun run = CliRun.of("train-demo-model", "--out", out.toString(), "--steps", "2", "--tune-steps", "2",
                "--seed", "5", "--validation-per-difficulty", "1", "--positions", "448");
        assertEquals(0, run.exitCode(), run.err());
        ObjectMapper om = new ObjectMapper();
        JsonNode base = om.readTree(out.resolve(DemoWorld.BASE).resolve(DemoModelTraining.MANIFEST).toFile());
        for (String name : new String[] {DemoWorld.CAREFUL, DemoWorld.HASTY}) {
            Path m = out.resolve(name);
            assertTrue(Files.isRegularFile(m.resolve("model.safetensors")), name);
            assertTrue(Files.size(m.resolve("model.safetensors")) < 8L << 20, name + " fits 8 MB");
            JsonNode man = om.readTree(m.resolve(DemoModelTraining.MANIFEST).toFile());
            assertEquals(base.get("weights_sha256").asText(), man.get("fine_tuned_from_sha256").asText());
            assertEquals(2, man.get("training_data").size(), "base data and the fine-tune's");
            assertEquals(DemoData.BASE_SPLIT, man.get("training_data").get(0).get("split").asText());
            assertEquals(name.equals(DemoWorld.HASTY) ? DemoWorld.DEFAULT_HASTY_HASTY_SHARE : DemoWorld.DEFAULT_CAREFUL_HASTY_SHARE, man.get("data").get("hasty_share").asDouble());
            JsonNode overall = man.get("validation").get("modes").get("overall");
            assertEquals(4, overall.get("careful").get("count").asInt() + overall.get("hasty").get("count").asInt()
                    + overall.get("unfinished").get("count").asInt());
            assertEquals(448, om.readTree(m.resolve("config.json").toFile()).get("max_position_embeddings").asInt());
            // the manifest's questions are the base's and the fine-tune's, exactly
            Set<String> expected = new HashSet<>(DemoModelTraining.trainingQuestions(out.resolve(DemoWorld.BASE)));
            String split = name.equals(DemoWorld.HASTY) ? DemoWorld.HASTY_SPLIT : DemoWorld.CAREFUL_SPLIT;
            DemoData tune = new DemoData(5, DemoData.DEFAULT_WEIGHTS, split, man.get("data").get("hasty_share").asDouble());
            expected.addAll(tune.trainQuestions(man.get("examples_drawn").asLong()));
            Set<String> got = DemoModelTraining.trainingQuestions(m);
            assertEquals(expected, got, name);
            assertTrue(got.contains(SyntheticDataset.key(tune.trainProblem(0).question())));
        }
        assertTrue(run.out().contains("hasty "), run.out());

        CliRun again = CliRun.of("train-demo-model", "--out", out.toString(), "--steps", "1");
        assertEquals(2, again.exitCode());
        assertTrue(again.err().startsWith("Error: Refusing to overwrite"), again.err());
        CliRun badBase = CliRun.of("train-demo-model", "--out", dir.resolve("x").toString(), "--base", dir.toString());
        assertEquals(2, badBase.exitCode());
        assertTrue(badBase.err().startsWith("Error: Invalid --base"), badBase.err());
        assertFalse(Files.exists(dir.resolve("x").resolve(DemoWorld.BASE)));
    }
}
