package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.studies.demo.DemoModelTraining;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code steeropt train-demo-model} for two steps: the files, the manifest and the summary (not the accuracy). */
class TrainDemoModelCommandTest {

    @Test
    void writesAModelDirectoryWithItsManifest(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("m");
        CliRun run = CliRun.of("train-demo-model", "--single", "--out", out.toString(), "--steps", "2", "--seed", "5",
                "--validation-per-difficulty", "1", "--threads", "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("steps        2 of 2"), run.out());
        assertTrue(run.out().contains("validation difficulty 4: "), run.out());
        assertTrue(run.err().contains("step 2/2 loss"), "progress bar on stderr: " + run.err());
        for (String f : new String[] {"config.json", "model.safetensors", "generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", DemoModelTraining.MANIFEST}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        JsonNode m = new ObjectMapper().readTree(out.resolve(DemoModelTraining.MANIFEST).toFile());
        assertEquals(5, m.get("seed").asInt());
        assertEquals(2, m.get("steps").asInt());
        assertEquals(DemoModelTraining.sha256(out.resolve("model.safetensors")), m.get("weights_sha256").asText());
        assertEquals(4, m.get("validation").get("by_difficulty").size());
        assertTrue(m.get("tokens_seen").asLong() > 0);
        JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals("llama", config.get("model_type").asText());
        assertEquals("LlamaForCausalLM", config.get("architectures").get(0).asText());

        CliRun again = CliRun.of("train-demo-model", "--single", "--out", out.toString(), "--steps", "1");
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("Refusing to overwrite"), again.err());
    }
}
