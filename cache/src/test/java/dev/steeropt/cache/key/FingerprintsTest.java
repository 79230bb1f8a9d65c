package dev.steeropt.cache.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintsTest {
    @TempDir
    Path dir;

    @Test
    void modelFingerprintDependsOnContentNotLocation() throws IOException {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        for (Path d : List.of(a, b)) {
            Files.writeString(d.resolve("config.json"), "{\"hidden_size\": 8}");
            Files.write(d.resolve("model.safetensors"), new byte[] {1, 2, 3, 4});
            Files.writeString(d.resolve("README.md"), "ignored " + d);
        }
        assertEquals(Fingerprints.model(a), Fingerprints.model(b));
        Files.write(b.resolve("model.safetensors"), new byte[] {1, 2, 3, 5});
        assertNotEquals(Fingerprints.model(a), Fingerprints.model(b));
    }

    @Test
    void idListHashIsOrderSensitive() {
        assertEquals(Fingerprints.idList(List.of("x", "y")), Fingerprints.idList(List.of("x", "y")));
        assertNotEquals(Fingerprints.idList(List.of("x", "y")), Fingerprints.idList(List.of("y", "x")));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Fingerprints.idList(List.of()));
    }
}
