package dev.steeropt.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EngineThreadsTest {
    private static final Path TINY = Path.of("src/test/resources/models/tiny-llama-fp32");

    @Test
    void smallModelsRunOneThreadAndAnExplicitCountWins() {
        try (LoadedModel m = LoadedModel.load(TINY)) { // loads the natives
            int before = JniUtils.getNumThreads();
            assertTrue(m.config().hiddenSize() < EngineThreads.SMALL_HIDDEN);
            System.setProperty(EngineThreads.PROPERTY, "2");
            try {
                assertEquals(0, EngineThreads.configureFor(m.config()), "the property is DJL's to apply");
            } finally {
                System.clearProperty(EngineThreads.PROPERTY);
            }
            assertEquals(1, EngineThreads.configureFor(m.config()));
            assertEquals(1, JniUtils.getNumThreads());
            JniUtils.setNumThreads(before);
        }
    }

    @Test
    void theBoundaryIsTheWidth() {
        assertTrue(EngineThreads.small(192));
        assertTrue(EngineThreads.small(511));
        assertFalse(EngineThreads.small(512));
        assertFalse(EngineThreads.small(576)); // SmolLM2-135M
    }
}
