package dev.steeropt.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.testing.Fixture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Model arguments: local folders pass through; hub ids fail clearly while offline (surefire sets ai.djl.offline). */
class ModelSourceTest {
    @Test
    void localFolderIsUsedAsIs() {
        Path dir = Fixture.modelDir("tiny-gpt2-fp32");
        assertEquals(dir, ModelSource.resolve(dir.toString()));
    }

    @Test
    void hubIdOfflineTellsTheUserToPassALocalPath() {
        assertTrue(ModelSource.offline(), "surefire runs offline");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelSource.resolve("HuggingFaceTB/SmolLM2-135M-not-cached-xyz"));
        assertTrue(e.getMessage().contains("hub downloads are off") && e.getMessage().contains("pass the local folder"), e.getMessage());
    }

    @Test
    void hubIdShapeIsOrgSlashName() {
        assertTrue(ModelSource.isHubId("HuggingFaceTB/SmolLM2-135M"));
        assertTrue(ModelSource.isHubId("org/name.v2"));
        String[] notHubIds = {"name", "./org/name", "/abs/name", "org/name/extra", "org/", "/name", "org\\name", ""};
        for (String notHub : notHubIds) {
            assertFalse(ModelSource.isHubId(notHub), notHub);
        }
        assertFalse(ModelSource.isHubId(null));
    }
}
