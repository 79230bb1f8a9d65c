package dev.steeropt.cache.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.cache.key.ActivationKey;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationStoreTest {

    @TempDir
    Path dir;

    static ActivationKey key(String hook) {
        return new ActivationKey("model-a", "train", "ids-1", hook, "variant-1", "special=true", "last_prompt_token", 1);
    }

    static List<CachedTensor> tensors(float seed) {
        float[] a = new float[12];
        for (int i = 0; i < a.length; i++) {
            a[i] = seed + i * 0.5f;
        }
        return List.of(new CachedTensor("acts", new long[] {3, 4}, a),
                new CachedTensor("norms", new long[] {3}, new float[] {seed, -seed, 0f}));
    }

    @Test
    void roundTripReturnsExactlyWhatWasStored() {
        ActivationStore store = ActivationStore.open(dir, 1 << 20);
        store.put(key("blocks.1.hook_resid_post"), tensors(1.25f));
        List<CachedTensor> back = store.get(key("blocks.1.hook_resid_post")).orElseThrow();
        assertEquals(new java.util.HashSet<>(tensors(1.25f)), new java.util.HashSet<>(back));
    }

    @Test
    void everyKeyPartSeparatesEntries() {
        ActivationStore store = ActivationStore.open(dir, 1 << 20);
        ActivationKey base = key("blocks.1.hook_resid_post");
        store.put(base, tensors(1f));
        List<ActivationKey> variants = List.of(
                new ActivationKey("model-b", "train", "ids-1", base.hookPoint(), "variant-1", "special=true", "last_prompt_token", 1),
                new ActivationKey("model-a", "validation", "ids-1", base.hookPoint(), "variant-1", "special=true", "last_prompt_token", 1),
                new ActivationKey("model-a", "train", "ids-2", base.hookPoint(), "variant-1", "special=true", "last_prompt_token", 1),
                new ActivationKey("model-a", "train", "ids-1", "blocks.2.hook_resid_post", "variant-1", "special=true", "last_prompt_token", 1),
                new ActivationKey("model-a", "train", "ids-1", base.hookPoint(), "variant-2", "special=true", "last_prompt_token", 1),
                new ActivationKey("model-a", "train", "ids-1", base.hookPoint(), "variant-1", "special=false", "last_prompt_token", 1),
                new ActivationKey("model-a", "train", "ids-1", base.hookPoint(), "variant-1", "special=true", "all", 1),
                new ActivationKey("model-a", "train", "ids-1", base.hookPoint(), "variant-1", "special=true", "last_prompt_token", 2));
        for (ActivationKey k : variants) {
            assertNotEquals(base.digest(), k.digest(), k.toString());
            assertTrue(store.get(k).isEmpty(), "a key differing in one part must miss: " + k);
        }
        assertTrue(store.get(base).isPresent());
    }

    @Test
    void corruptPayloadIsRemovedAndRecomputed() throws IOException {
        ActivationStore store = ActivationStore.open(dir, 1 << 20);
        ActivationKey k = key("blocks.0.hook_resid_post");
        store.put(k, tensors(2f));
        Path payload;
        try (Stream<Path> s = Files.walk(dir.resolve("entries"))) {
            payload = s.filter(p -> p.getFileName().toString().equals("payload.safetensors")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(payload.toFile(), "rw")) {
            f.seek(f.length() - 3);
            f.write(0x7f); // flip bits inside the last float
        }
        assertTrue(store.get(k).isEmpty(), "a corrupt entry must never be served");
        assertFalse(Files.exists(payload), "the corrupt entry is removed");
        AtomicInteger computed = new AtomicInteger();
        List<CachedTensor> again = store.getOrCompute(k, () -> {
            computed.incrementAndGet();
            return tensors(2f);
        });
        assertEquals(1, computed.get());
        assertEquals(new java.util.HashSet<>(tensors(2f)), new java.util.HashSet<>(again));
        assertTrue(store.get(k).isPresent());
    }

    @Test
    void truncatedPayloadFailsVerification() throws IOException {
        ActivationStore store = ActivationStore.open(dir, 1 << 20);
        store.put(key("a"), tensors(1f));
        store.put(key("b"), tensors(2f));
        Path victim = dir.resolve("entries").resolve(key("a").digest().substring(0, 2)).resolve(key("a").digest())
                .resolve("payload.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        assertEquals(List.of(key("a").digest()), store.verify());
        assertTrue(store.get(key("a")).isEmpty());
        assertTrue(store.get(key("b")).isPresent());
    }

    @Test
    void leastRecentlyUsedEntriesAreEvictedAtTheCap() throws Exception {
        Path probe = dir.resolve("probe.safetensors");
        ActivationStore.writePayload(probe, tensors(0f), key("x").digest());
        long entryBytes = Files.size(probe);
        ActivationStore store = ActivationStore.open(dir, entryBytes * 2 + entryBytes / 2); // room for two entries
        store.put(key("first"), tensors(1f));
        Thread.sleep(20);
        store.put(key("second"), tensors(2f));
        Thread.sleep(20);
        assertTrue(store.get(key("first")).isPresent()); // first is now the most recently used
        Thread.sleep(20);
        store.put(key("third"), tensors(3f));
        assertTrue(store.get(key("second")).isEmpty(), "the least recently used entry is evicted");
        assertTrue(store.get(key("first")).isPresent());
        assertTrue(store.get(key("third")).isPresent());
        assertTrue(store.sizeBytes() <= entryBytes * 2 + entryBytes / 2);
    }

    @Test
    void concurrentThreadsComputeEachKeyOnce() throws Exception {
        ActivationStore store = ActivationStore.open(dir, 1 << 20);
        AtomicInteger computations = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<CachedTensor>>> results = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            String hook = "blocks." + (i % 4) + ".hook_resid_post";
            results.add(pool.submit(() -> store.getOrCompute(key(hook), () -> {
                computations.incrementAndGet();
                sleep(30);
                return tensors(hook.length());
            })));
        }
        for (Future<List<CachedTensor>> f : results) {
            assertEquals(2, f.get(30, TimeUnit.SECONDS).size());
        }
        pool.shutdown();
        assertEquals(4, computations.get(), "each of the 4 keys is computed exactly once");
        assertEquals(4, store.list().size());
    }

    @Test
    void concurrentProcessesShareOneEntry() throws Exception {
        Path counter = dir.resolve("computations.log");
        List<Process> procs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            procs.add(new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
                    CacheWorkerMain.class.getName(), dir.resolve("cache").toString(), counter.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (Process p : procs) {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "worker finished");
            assertEquals(0, p.exitValue(), "worker exit code");
        }
        assertEquals(1, Files.readAllLines(counter).size(), "three processes, one computation");
        ActivationStore store = ActivationStore.open(dir.resolve("cache"), 1 << 20);
        assertEquals(CacheWorkerMain.expected(), store.get(CacheWorkerMain.KEY).orElseThrow());
        assertTrue(store.verify().isEmpty());
    }

    @Test
    void emptyComputationIsRefused() {
        ActivationStore store = ActivationStore.open(dir, 1 << 20);
        assertThrows(IllegalStateException.class, () -> store.getOrCompute(key("empty"), List::of));
        assertTrue(store.list().isEmpty());
    }

    @Test
    void clearRemovesEverything() {
        ActivationStore store = ActivationStore.open(dir, 1 << 20);
        store.put(key("a"), tensors(1f));
        store.put(key("b"), tensors(1f));
        assertEquals(2, store.clear());
        assertTrue(store.list().isEmpty());
        assertEquals(0, store.sizeBytes());
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
