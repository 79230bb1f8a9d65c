package dev.steeropt.core.model.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.model.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The weights of one model folder: a single {@code model.safetensors}, or the shards listed in
 * {@code model.safetensors.index.json}. Looks tensors up by name across shards.
 */
public final class WeightStore implements AutoCloseable {
    /** Single-file weights name. */
    public static final String SINGLE_FILE = "model.safetensors";
    /** Shard index name. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Path dir;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> byTensor;

    private WeightStore(Path dir, List<SafetensorsFile> files, Map<String, SafetensorsFile> byTensor) {
        this.dir = dir;
        this.files = files;
        this.byTensor = byTensor;
    }

    /**
     * Opens the weights of a model folder, preferring the shard index when present.
     *
     * @throws ModelLoadException when neither file exists, the index is malformed, or a shard is missing or corrupt
     */
    public static WeightStore open(Path dir) {
        Path index = dir.resolve(INDEX_FILE);
        Path single = dir.resolve(SINGLE_FILE);
        if (Files.isRegularFile(index)) {
            return openSharded(dir, index);
        }
        if (Files.isRegularFile(single)) {
            SafetensorsFile f = SafetensorsFile.open(single);
            Map<String, SafetensorsFile> map = new TreeMap<>();
            f.tensors().keySet().forEach(n -> map.put(n, f));
            return new WeightStore(dir, List.of(f), Collections.unmodifiableMap(map));
        }
        throw new ModelLoadException("Cannot load model '" + dir + "': it has neither " + SINGLE_FILE + " nor " + INDEX_FILE
                + "; pass a folder holding Hugging Face safetensors weights (.bin/.pt checkpoints are not supported)");
    }

    private static WeightStore openSharded(Path dir, Path index) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(index.toFile());
        } catch (IOException e) {
            throw new ModelLoadException("Cannot load model '" + dir + "': " + INDEX_FILE + " is not valid JSON (" + e.getMessage() + ")", e);
        }
        JsonNode weightMap = root == null ? null : root.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw new ModelLoadException("Cannot load model '" + dir + "': " + INDEX_FILE + " has no \"weight_map\" object");
        }
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafetensorsFile> byTensor = new TreeMap<>();
        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String shardName = e.getValue().asText();
                Path shardPath = dir.resolve(shardName).normalize();
                if (!shardPath.startsWith(dir.normalize())) {
                    throw new ModelLoadException("Cannot load model '" + dir + "': " + INDEX_FILE + " points outside the folder (" + shardName + ")");
                }
                SafetensorsFile shard = shards.get(shardName);
                if (shard == null) {
                    if (!Files.isRegularFile(shardPath)) {
                        throw new ModelLoadException("Cannot load model '" + dir + "': shard " + shardName + " listed in " + INDEX_FILE
                                + " does not exist; download the missing shard");
                    }
                    shard = SafetensorsFile.open(shardPath);
                    opened.add(shard);
                    shards.put(shardName, shard);
                }
                if (!shard.tensors().containsKey(e.getKey())) {
                    throw new ModelLoadException("Cannot load model '" + dir + "': " + INDEX_FILE + " maps tensor " + e.getKey()
                            + " to " + shardName + ", which does not contain it");
                }
                byTensor.put(e.getKey(), shard);
            }
        } catch (RuntimeException e) {
            opened.forEach(SafetensorsFile::close);
            throw e;
        }
        return new WeightStore(dir, List.copyOf(opened), Collections.unmodifiableMap(byTensor));
    }

    /** The model folder. */
    public Path dir() {
        return dir;
    }

    /** All tensor names (sorted). */
    public Set<String> names() {
        return byTensor.keySet();
    }

    /** True if the tensor exists. */
    public boolean contains(String name) {
        return byTensor.containsKey(name);
    }

    /**
     * The header entry of a tensor.
     *
     * @throws ModelLoadException naming the tensor and folder when it is absent
     */
    public TensorInfo info(String name) {
        return file(name).info(name);
    }

    /** Mapped bytes of a tensor. */
    public ByteBuffer data(String name) {
        return file(name).data(name);
    }

    /** Reads a tensor's bytes into {@code dst} (see {@link SafetensorsFile#read}). */
    public ByteBuffer read(String name, ByteBuffer dst) {
        return file(name).read(name, dst);
    }

    /** A floating-point tensor as float32 values. */
    public float[] readFloats(String name) {
        return file(name).readFloats(name);
    }

    private SafetensorsFile file(String name) {
        SafetensorsFile f = byTensor.get(name);
        if (f == null) {
            throw new ModelLoadException("Cannot load model '" + dir + "': tensor " + name + " is missing from its weights ("
                    + byTensor.size() + " tensors); the checkpoint is incomplete or of another architecture");
        }
        return f;
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
