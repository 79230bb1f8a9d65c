package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code steeropt init-model}: exit codes, output, and a directory whose tokenizer loads. */
class InitModelCommandTest {

    @Test
    void writesAModelFromACustomConfig(@TempDir Path dir) throws IOException {
        Path cfg = dir.resolve("config.json");
        Files.writeString(cfg, "{\"model_type\": \"llama\", \"hidden_size\": 32, \"num_hidden_layers\": 1,"
                + " \"num_attention_heads\": 2, \"intermediate_size\": 64, \"vocab_size\": 320,"
                + " \"tie_word_embeddings\": true}");
        Path out = dir.resolve("m");
        CliRun run = CliRun.of("init-model", "--like", cfg.toString(), "--out", out.toString(), "--seed", "3");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("LlamaForCausalLM[H=32, N=1"), run.out());
        assertTrue(run.out().contains("seed        3"), run.out());
        for (String f : new String[] {"config.json", "model.safetensors", "generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        try (Tokenizer tok = Tokenizer.load(out)) {
            assertEquals(320, tok.vocabSize());
        }

        CliRun again = CliRun.of("init-model", "--like", cfg.toString(), "--out", out.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("Refusing to overwrite"), again.err());
        assertEquals(0, CliRun.of("init-model", "--like", cfg.toString(), "--out", out.toString(), "--force")
                .exitCode());
    }

    @Test
    void unknownShapeIsAUsageError(@TempDir Path dir) {
        CliRun run = CliRun.of("init-model", "--like", "llama-70b", "--out", dir.resolve("x").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("smollm2-135m, qwen2.5-0.5b"), run.err());
        assertTrue(run.err().startsWith("Error: "), run.err());
    }
}
