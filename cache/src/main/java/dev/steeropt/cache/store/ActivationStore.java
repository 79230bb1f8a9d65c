package dev.steeropt.cache.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.cache.key.ActivationKey;
import dev.steeropt.cache.key.Fingerprints;
import dev.steeropt.core.model.io.SafetensorsWriter;
import dev.steeropt.core.model.weights.SafetensorsFile;
import dev.steeropt.core.model.weights.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk activation cache: one directory per {@link ActivationKey} holding {@code payload.safetensors} (float32
 * tensors) and {@code manifest.json} (the key's parts, tensor names and shapes, payload size and SHA-256).
 *
 * <p>Guarantees:
 * <ul>
 *   <li><b>atomic</b>: an entry is written into a private temporary directory and appears by one atomic rename, so
 *       readers never see half an entry;</li>
 *   <li><b>verified</b>: every read checks the payload's SHA-256 and the key recorded in the manifest; a corrupt or
 *       mismatching entry is deleted and reported as a miss, so the caller recomputes it;</li>
 *   <li><b>multi-process safe</b>: {@link #getOrCompute} holds a per-key file lock (and a per-key lock within the
 *       JVM) while computing, so concurrent workers compute each entry once;</li>
 *   <li><b>bounded</b>: after each write, least-recently-used entries (last access = manifest modification time,
 *       refreshed on every hit) are evicted until the total payload size is within the cap.</li>
 * </ul>
 */
public final class ActivationStore {
    private static final Logger LOG = LoggerFactory.getLogger(ActivationStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAYLOAD = "payload.safetensors";
    private static final String MANIFEST = "manifest.json";

    private final Path root;
    private final long capBytes;
    private final ConcurrentHashMap<String, ReentrantLock> jvmLocks = new ConcurrentHashMap<>();

    private ActivationStore(Path root, long capBytes) {
        this.root = root;
        this.capBytes = capBytes;
    }

    /**
     * Opens (creating if needed) a cache directory.
     *
     * @param capBytes maximum total payload size; must be positive
     */
    public static ActivationStore open(Path root, long capBytes) {
        if (capBytes <= 0) {
            throw new IllegalArgumentException("cache size cap must be positive, got " + capBytes + " bytes");
        }
        try {
            Files.createDirectories(root.resolve("entries"));
            Files.createDirectories(root.resolve("locks"));
            Files.createDirectories(root.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the activation cache at " + root
                    + "; pass a writable --cache-dir", e);
        }
        return new ActivationStore(root, capBytes);
    }

    /** The cache directory. */
    public Path root() {
        return root;
    }

    /** The entry for {@code key} if present and intact; a corrupt entry is removed and reported as absent. */
    public Optional<List<CachedTensor>> get(ActivationKey key) {
        Path dir = entryDir(key.digest());
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try {
            JsonNode manifest = JSON.readTree(dir.resolve(MANIFEST).toFile());
            String problem = checkManifest(manifest, key);
            if (problem == null) {
                if (!Fingerprints.file(dir.resolve(PAYLOAD)).equals(manifest.path("payload_sha256").asText())) {
                    problem = "payload checksum mismatch";
                } else {
                    List<CachedTensor> tensors = readPayload(dir.resolve(PAYLOAD));
                    touch(dir);
                    return Optional.of(tensors);
                }
            }
            LOG.warn("Activation cache entry {} is unusable ({}); removing it so it is recomputed.", dir, problem);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // evicted or removed by another process while we looked
        } catch (IOException | RuntimeException e) {
            LOG.warn("Activation cache entry {} is unreadable ({}); removing it so it is recomputed.", dir, e.toString());
        }
        remove(dir);
        return Optional.empty();
    }

    /** Stores an entry (replacing nothing: if another writer got there first, its identical entry is kept). */
    public void put(ActivationKey key, List<CachedTensor> tensors) {
        String digest = key.digest();
        Path tmp = root.resolve("tmp").resolve(digest + "." + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            Path payloadFile = tmp.resolve(PAYLOAD);
            writePayload(payloadFile, tensors, digest);
            ObjectNode manifest = JSON.createObjectNode();
            manifest.set("key", JSON.valueToTree(key.parts()));
            manifest.put("digest", digest);
            manifest.put("payload_bytes", Files.size(payloadFile));
            manifest.put("payload_sha256", Fingerprints.file(payloadFile));
            manifest.put("created", Instant.now().toString());
            ObjectNode shapes = manifest.putObject("tensors");
            for (CachedTensor t : tensors) {
                shapes.set(t.name(), JSON.valueToTree(t.shape()));
            }
            writeDurably(tmp.resolve(MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            Path target = entryDir(digest);
            Files.createDirectories(target.getParent());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                LOG.debug("Activation cache entry {} was written by another worker first", digest);
            }
        } catch (AtomicMoveNotSupportedException e) {
            throw new UncheckedIOException("the activation cache at " + root + " is on a file system without atomic "
                    + "renames; put --cache-dir on a local disk", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write activation cache entry under " + root, e);
        } finally {
            deleteTree(tmp);
        }
        evictToCap();
    }

    /**
     * Returns the cached entry, or computes, stores and returns it. Concurrent callers in this and other processes
     * wait for the one computing the same key instead of computing it again.
     */
    public List<CachedTensor> getOrCompute(ActivationKey key, Supplier<List<CachedTensor>> compute) {
        Optional<List<CachedTensor>> hit = get(key);
        if (hit.isPresent()) {
            return hit.get();
        }
        String digest = key.digest();
        ReentrantLock jvmLock = jvmLocks.computeIfAbsent(digest, d -> new ReentrantLock());
        jvmLock.lock();
        try (FileChannel ch = FileChannel.open(root.resolve("locks").resolve(digest + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = ch.lock()) {
            hit = get(key);
            if (hit.isPresent()) {
                return hit.get();
            }
            List<CachedTensor> computed = compute.get();
            if (computed == null || computed.isEmpty()) {
                throw new IllegalStateException("the activation computation for " + key.hookPoint()
                        + " returned nothing; refusing to cache an empty entry");
            }
            put(key, computed);
            return computed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock activation cache entry " + digest + " under " + root, e);
        } finally {
            jvmLock.unlock();
        }
    }

    /** Every entry's manifest summary, most recently used first. */
    public List<EntryInfo> list() {
        List<EntryInfo> out = new ArrayList<>();
        for (Path dir : entryDirs()) {
            try {
                JsonNode m = JSON.readTree(dir.resolve(MANIFEST).toFile());
                out.add(new EntryInfo(dir.getFileName().toString(), m.path("key"),
                        m.path("payload_bytes").asLong(), Files.getLastModifiedTime(dir.resolve(MANIFEST)).toInstant()));
            } catch (IOException e) {
                out.add(new EntryInfo(dir.getFileName().toString(), JSON.nullNode(), -1, Instant.EPOCH));
            }
        }
        out.sort(Comparator.comparing(EntryInfo::lastAccess).reversed());
        return out;
    }

    /** Checks every entry's checksum; removes the bad ones and returns their digests. */
    public List<String> verify() {
        List<String> bad = new ArrayList<>();
        for (Path dir : entryDirs()) {
            String digest = dir.getFileName().toString();
            try {
                JsonNode m = JSON.readTree(dir.resolve(MANIFEST).toFile());
                boolean ok = digest.equals(m.path("digest").asText())
                        && Fingerprints.file(dir.resolve(PAYLOAD)).equals(m.path("payload_sha256").asText());
                if (ok) {
                    readPayload(dir.resolve(PAYLOAD));
                    continue;
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("entry {} failed verification", digest, e);
            }
            bad.add(digest);
            remove(dir);
        }
        return bad;
    }

    /** Removes every entry; returns how many were removed. */
    public int clear() {
        List<Path> dirs = entryDirs();
        dirs.forEach(ActivationStore::remove);
        return dirs.size();
    }

    /** Total payload bytes currently stored. */
    public long sizeBytes() {
        long total = 0;
        for (Path dir : entryDirs()) {
            try {
                total += Files.size(dir.resolve(PAYLOAD));
            } catch (IOException e) {
                // entry vanished (evicted by another worker): not counted
            }
        }
        return total;
    }

    /** One entry as {@code cache ls} prints it. */
    public record EntryInfo(String digest, JsonNode key, long payloadBytes, Instant lastAccess) {}

    private void evictToCap() {
        List<Path> dirs = entryDirs();
        record Sized(Path dir, long bytes, FileTime access) {}
        List<Sized> sized = new ArrayList<>();
        long total = 0;
        for (Path d : dirs) {
            try {
                long b = Files.size(d.resolve(PAYLOAD));
                sized.add(new Sized(d, b, Files.getLastModifiedTime(d.resolve(MANIFEST))));
                total += b;
            } catch (IOException e) {
                // vanished meanwhile
            }
        }
        if (total <= capBytes) {
            return;
        }
        sized.sort(Comparator.comparing(Sized::access));
        for (Sized s : sized) {
            if (total <= capBytes) {
                break;
            }
            LOG.debug("Evicting activation cache entry {} ({} bytes) to stay within {} bytes", s.dir(), s.bytes(), capBytes);
            remove(s.dir());
            total -= s.bytes();
        }
    }

    private String checkManifest(JsonNode manifest, ActivationKey key) {
        if (!key.digest().equals(manifest.path("digest").asText())) {
            return "manifest digest differs from its directory name";
        }
        if (!JSON.valueToTree(key.parts()).equals(manifest.path("key"))) {
            return "manifest key differs from the requested key";
        }
        return null;
    }

    private Path entryDir(String digest) {
        return root.resolve("entries").resolve(digest.substring(0, 2)).resolve(digest);
    }

    private List<Path> entryDirs() {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> prefixes = Files.list(root.resolve("entries"))) {
            for (Path p : prefixes.toList()) {
                try (Stream<Path> entries = Files.list(p)) {
                    entries.filter(e -> e.getFileName().toString().indexOf('.') < 0 && Files.isDirectory(e)).forEach(out::add);
                } catch (NoSuchFileException e) {
                    // removed concurrently
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the activation cache at " + root, e);
        }
        return out;
    }

    private static void touch(Path dir) throws IOException {
        Files.setLastModifiedTime(dir.resolve(MANIFEST), FileTime.from(Instant.now()));
    }

    /** The payload is a standard safetensors file (F32 tensors, the key digest as metadata), forced to disk. */
    static void writePayload(Path file, List<CachedTensor> tensors, String digest) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter().metadata("key", digest);
        for (CachedTensor t : tensors) {
            w.addFloats(t.name(), t.shape(), SafetensorsWriter.DType.F32, t.data());
        }
        w.write(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Reads a payload back; a truncated or malformed file throws (and the caller treats the entry as corrupt). */
    static List<CachedTensor> readPayload(Path file) {
        List<CachedTensor> out = new ArrayList<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (TensorInfo info : f.tensors().values()) {
                out.add(new CachedTensor(info.name(), info.shape(), f.readFloats(info.name())));
            }
        }
        return out;
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /** Makes an entry disappear atomically (rename away), then deletes its files. */
    private static void remove(Path dir) {
        Path trash = dir.resolveSibling(dir.getFileName() + ".removing." + UUID.randomUUID());
        try {
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            return; // already gone
        }
        deleteTree(trash);
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    LOG.debug("could not delete {}", f, e);
                }
            });
        } catch (IOException e) {
            LOG.debug("could not delete {}", p, e);
        }
    }
}
