package dev.steeropt.studies.analysis.directions;

import dev.steeropt.core.model.ModelLoadException;
import dev.steeropt.core.model.io.SafetensorsWriter;
import dev.steeropt.core.model.weights.SafetensorsFile;
import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.studies.errors.UserFacingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One direction per layer with what other commands need to use it: {@value #FILE} holds one F32 tensor
 * {@code layer.{i}} per layer and metadata (model A's and B's fingerprints, the train split's hash, the read
 * position, the contrast, the kind, and per layer {@code mean_residual_norm.{i}}, model A's mean residual norm there,
 * so strengths can be converted to {@code mean_residual_norm} units). Immutable.
 *
 * @param directions   layer → direction (A minus B for a cross-model set, positive minus negative within a model)
 * @param meanNorms    layer → model A's mean residual norm at the read position over the train prompts
 * @param metadata     the file's string metadata (without the per-layer norms)
 */
public record DirectionSet(Map<Integer, float[]> directions, Map<Integer, Double> meanNorms, Map<String, String> metadata) {
    /** The file name in a {@code directions} output directory. */
    public static final String FILE = "directions.safetensors";
    /** Metadata key: {@code within} or {@code cross_model}. */
    public static final String KIND = "kind";
    /** Metadata key: model A's fingerprint. */
    public static final String MODEL_A = "model_a_fingerprint";
    /** Metadata key: model B's fingerprint (cross-model sets only). */
    public static final String MODEL_B = "model_b_fingerprint";
    /** Metadata key: the train split's ids hash. */
    public static final String SPLIT_HASH = "split_hash";
    /** Metadata key: the read position. */
    public static final String READ = "read";
    /** Metadata key: the contrast (within-model sets) or {@code cross_model}. */
    public static final String CONTRAST = "contrast";
    /** Metadata key prefix of a layer's mean residual norm. */
    public static final String NORM_PREFIX = "mean_residual_norm.";

    public DirectionSet {
        directions = new TreeMap<>(directions);
        meanNorms = new TreeMap<>(meanNorms);
        metadata = Map.copyOf(metadata);
        if (directions.isEmpty() || !directions.keySet().equals(meanNorms.keySet())) {
            throw new IllegalArgumentException("a direction set needs one direction and one mean norm per layer, got "
                    + directions.keySet() + " and " + meanNorms.keySet());
        }
    }

    /** Writes {@value #FILE} into {@code dir}. */
    public Path write(Path dir) {
        return writeFile(dir.resolve(FILE));
    }

    /** Writes the set to {@code file} in the format of {@value #FILE} ({@link #read} reads it back). */
    public Path writeFile(Path file) {
        SafetensorsWriter w = new SafetensorsWriter();
        metadata.forEach(w::metadata);
        meanNorms.forEach((l, n) -> w.metadata(NORM_PREFIX + l, Double.toString(n)));
        directions.forEach((l, v) -> w.addFloats("layer." + l, new long[] {v.length}, SafetensorsWriter.DType.F32, v));
        w.write(file);
        return file;
    }

    /**
     * Reads {@value #FILE} from a {@code directions} output directory (or the file itself).
     *
     * @throws UserFacingException (usage) for a missing or malformed file
     */
    public static DirectionSet read(Path dirOrFile) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(FILE) : dirOrFile;
        if (!Files.isRegularFile(file)) {
            throw UserFacingException.usage("No direction file at '" + file + "'", null, "Pass the --out directory of"
                    + " 'steeropt analyze directions'.");
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            Map<Integer, float[]> dirs = new TreeMap<>();
            Map<Integer, Double> norms = new TreeMap<>();
            Map<String, String> meta = new LinkedHashMap<>();
            for (String name : f.tensors().keySet()) {
                if (!name.matches("layer\\.\\d{1,6}")) {
                    throw UserFacingException.usage("'" + file + "' holds tensor '" + name + "'", "a direction file"
                            + " holds only layer.{i} tensors", "Pass a file written by 'steeropt analyze directions'.");
                }
                int layer = Integer.parseInt(name.substring(6));
                dirs.put(layer, f.readFloats(name));
            }
            for (Map.Entry<String, String> e : f.metadata().entrySet()) {
                if (e.getKey().startsWith(NORM_PREFIX)) {
                    norms.put(Integer.parseInt(e.getKey().substring(NORM_PREFIX.length())), Double.parseDouble(e.getValue()));
                } else {
                    meta.put(e.getKey(), e.getValue());
                }
            }
            if (dirs.isEmpty() || !dirs.keySet().equals(norms.keySet())) {
                throw UserFacingException.usage("'" + file + "' is not a complete direction file", "layers "
                        + dirs.keySet() + " but mean residual norms for " + norms.keySet(), "Run 'steeropt analyze"
                        + " directions' again.");
            }
            return new DirectionSet(dirs, norms, meta);
        } catch (ModelLoadException | NumberFormatException e) {
            throw UserFacingException.usage("'" + file + "' is not a valid direction file", e.getMessage(), null, e);
        }
    }

    /** The layers, ascending. */
    public List<Integer> layers() {
        return List.copyOf(directions.keySet());
    }

    /**
     * Layer {@code l} as a {@link SteeringVector} carrying its mean residual norm (so {@code AlphaUnits} works).
     *
     * @throws UserFacingException (usage) if the set has no direction at {@code l}
     */
    public SteeringVector vector(int layer) {
        float[] v = directions.get(layer);
        if (v == null) {
            throw UserFacingException.usage("The direction set has no layer " + layer, "it holds layers " + layers(),
                    "Pick one of them, or run 'steeropt analyze directions --layers all'.");
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(SteeringVector.KEY_MEAN_RESIDUAL_NORM, Double.toString(meanNorms.get(layer)));
        meta.put(SteeringVector.KEY_LAYER, Integer.toString(layer));
        return SteeringVector.of(layer, v, meta);
    }
}
