package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.cache.key.ActivationKey;
import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.cache.store.CachedTensor;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheCommandTest {
    @TempDir
    Path dir;

    private void fill() {
        ActivationStore store = ActivationStore.open(dir, 1 << 20);
        for (int layer = 0; layer < 3; layer++) {
            store.put(new ActivationKey("m", "train", "h", "blocks." + layer + ".hook_resid_post", "v", "t", "last", 1),
                    List.of(new CachedTensor("acts", new long[] {2}, new float[] {layer, -layer})));
        }
    }

    @Test
    void lsListsEveryEntryAsJson() throws Exception {
        fill();
        CliRun run = CliRun.of("cache", "ls", "--cache-dir", dir.toString(), "--format", "json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode arr = new ObjectMapper().readTree(run.out());
        assertEquals(3, arr.size());
        java.util.Set<String> hooks = new java.util.TreeSet<>();
        for (JsonNode e : arr) {
            hooks.add(e.path("key").path("hook_point").asText());
            assertTrue(e.path("payload_bytes").asLong() > 8, "payload holds a header and 8 bytes of data");
            assertEquals(64, e.path("digest").asText().length());
        }
        assertEquals(java.util.Set.of("blocks.0.hook_resid_post", "blocks.1.hook_resid_post",
                "blocks.2.hook_resid_post"), hooks);
    }

    @Test
    void verifyRemovesCorruptEntriesAndFailsTheRun() throws Exception {
        fill();
        Path payload;
        try (Stream<Path> s = Files.walk(dir.resolve("entries"))) {
            payload = s.filter(p -> p.toString().endsWith("payload.safetensors")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(payload.toFile(), "rw")) {
            f.seek(f.length() - 1);
            f.write(0x55);
        }
        CliRun run = CliRun.of("cache", "verify", "--cache-dir", dir.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.out().contains("3 entries checked, 1 corrupt removed"), run.out());
        assertEquals(0, CliRun.of("cache", "verify", "--cache-dir", dir.toString()).exitCode());
    }

    @Test
    void clearEmptiesTheCache() {
        fill();
        CliRun run = CliRun.of("cache", "clear", "--cache-dir", dir.toString());
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("removed 3 entries"));
        assertTrue(ActivationStore.open(dir, 1 << 20).list().isEmpty());
    }

    @Test
    void missingCacheDirIsAUsageErrorWithoutStackTrace() {
        CliRun run = CliRun.of("cache", "ls", "--cache-dir", dir.resolve("nope").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("Error: No activation cache at"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }
}
