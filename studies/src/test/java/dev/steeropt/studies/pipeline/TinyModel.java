package dev.steeropt.studies.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The fixture model the pipeline tests run: a 4-layer, d_model 64 random Llama (copied from steering-core's fixtures). */
public final class TinyModel {
    private TinyModel() {}

    /** Its directory; a missing fixture fails the test. */
    public static Path dir() {
        Path p = Path.of("src/test/resources/models/tiny-llama-fp32").toAbsolutePath();
        assertTrue(Files.isRegularFile(p.resolve("model.safetensors")), "fixture model missing: " + p);
        return p;
    }
}
