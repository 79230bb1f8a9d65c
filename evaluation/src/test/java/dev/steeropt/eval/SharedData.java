package dev.steeropt.eval;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code shared/data} for tests. A missing property or directory fails the test; nothing is skipped. */
public final class SharedData {
    private SharedData() {
    }

    /** The shared data directory ({@code ${steeropt.shared}/data}), which must hold gsm8k/ and math500/. */
    public static Path dataDir() {
        String shared = System.getProperty("steeropt.shared");
        if (shared == null || shared.isBlank()) {
            fail("System property steeropt.shared is not set; the Maven build sets it to ../shared. Run the tests "
                    + "through Maven or pass -Dsteeropt.shared=/path/to/shared.");
        }
        Path data = Path.of(shared, "data");
        for (String f : new String[] {"gsm8k/train.jsonl", "gsm8k/test.jsonl", "math500/test.jsonl"}) {
            if (!Files.isRegularFile(data.resolve(f))) {
                fail("Required test data " + data.resolve(f).toAbsolutePath() + " is missing; restore shared/data.");
            }
        }
        return data;
    }
}
