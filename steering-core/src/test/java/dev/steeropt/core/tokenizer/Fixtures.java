package dev.steeropt.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared read-only fixtures; a missing fixture fails the test rather than skipping it. */
final class Fixtures {
    private Fixtures() {}

    /** The six tiny models with reference outputs. */
    static final String[] TINY_MODELS = {
        "tiny-llama-fp32", "tiny-llama-bf16", "tiny-llama-sharded", "tiny-llama3-ropescaling", "tiny-qwen2-fp32",
        "tiny-gpt2-fp32",
    };

    static Path shared() {
        String prop = System.getProperty("steeropt.shared");
        assertTrue(prop != null && !prop.isBlank(),
                "system property steeropt.shared is not set; run through Maven (the parent POM sets it) or pass"
                        + " -Dsteeropt.shared=/path/to/shared");
        Path p = Path.of(prop);
        assertTrue(Files.isDirectory(p), "steeropt.shared points to '" + p + "', which is not a directory");
        return p;
    }

    static Path tinyModel(String name) {
        Path p = shared().resolve("fixtures/models").resolve(name);
        assertTrue(Files.isRegularFile(p.resolve("tokenizer.json")), "fixture model missing: " + p);
        return p;
    }

    static Path stories260K() {
        Path p = shared().resolve("models/stories260K");
        assertTrue(Files.isRegularFile(p.resolve("tokenizer.json")), "fixture model missing: " + p);
        return p;
    }
}
