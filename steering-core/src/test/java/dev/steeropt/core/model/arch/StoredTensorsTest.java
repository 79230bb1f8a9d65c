package dev.steeropt.core.model.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.steeropt.core.model.config.ConfigJson;
import dev.steeropt.core.model.io.TestSafetensorsReader;
import dev.steeropt.core.testing.Fixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each adapter's {@link ArchitectureAdapter#storedTensors} list is exactly the set of tensors, with their shapes, that
 * transformers itself saved for every fixture (all thirteen, all ten adapters): a missing, extra, misnamed or
 * wrongly shaped tensor in the list that init-model writes fails here.
 */
class StoredTensorsTest {

    static List<String> fixtures() {
        return Fixture.ALL;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void listedTensorsAreExactlyThoseTransformersSaved(String name) throws IOException {
        Path dir = Fixture.modelDir(name);
        ConfigJson json = ConfigJson.read(dir);
        ArchitectureAdapter adapter = ArchitectureRegistry.forConfig(json);
        Map<String, String> listed = new TreeMap<>();
        for (StoredTensor t : adapter.storedTensors(adapter.parseConfig(json))) {
            assertEquals(null, listed.put(t.name(), Arrays.toString(t.shape())), "listed twice: " + t.name());
        }
        Map<String, String> saved = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList()) {
                TestSafetensorsReader st = new TestSafetensorsReader(f);
                for (String t : st.namesInFileOrder) {
                    if (!t.equals("__metadata__")) {
                        saved.put(t, Arrays.toString(st.shape(t)));
                    }
                }
            }
        }
        assertEquals(saved, listed, name + ": tensors saved by transformers vs listed by " + adapter.getClass().getSimpleName());
    }
}
