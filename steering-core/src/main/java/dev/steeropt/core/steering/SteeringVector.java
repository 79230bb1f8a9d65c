package dev.steeropt.core.steering;

import dev.steeropt.core.model.io.SafetensorsWriter;
import dev.steeropt.core.model.weights.SafetensorsDtype;
import dev.steeropt.core.model.weights.SafetensorsFile;
import dev.steeropt.core.model.weights.TensorInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * A steering direction for one decoder layer: the values added to {@code blocks.{layer}.hook_resid_post}, with the
 * provenance needed to reuse it safely (which model, which data, how it was built).
 *
 * <p>Files are safetensors holding one F32 tensor {@value #TENSOR} of shape {@code [d_model]} and the metadata as the
 * header's {@code __metadata__}. {@link #load(Path, int)} also reads a file with one F32 {@code [d_model]} tensor of
 * any name (what {@code generate --steer-vector FILE} accepts).
 *
 * <p>Immutable: the values and the metadata are copied in and out.
 *
 * @param layer    the decoder layer (0-based; the vector is added to that layer's output)
 * @param values   d_model floats
 * @param metadata provenance, sorted by key; see the {@code KEY_*} constants
 */
public record SteeringVector(int layer, float[] values, Map<String, String> metadata) {
    /** The tensor name written by {@link #save}. */
    public static final String TENSOR = "vector";
    /** {@code Fingerprints.model} of the model the vector was read from. */
    public static final String KEY_MODEL_FINGERPRINT = "model_fingerprint";
    /** The layer, repeated in the metadata so a file alone is self-describing. */
    public static final String KEY_LAYER = "layer";
    /** How the vector was built, e.g. {@code caa_mean_difference}. */
    public static final String KEY_METHOD = "method";
    /** Hash of the ordered item ids the pairs came from. */
    public static final String KEY_SPLIT_HASH = "split_hash";
    /** Which pair builder produced the contrast pairs. */
    public static final String KEY_PAIR_BUILDER = "pair_builder";
    /** Number of contrast pairs averaged. */
    public static final String KEY_N_PAIRS = "n_pairs";
    /** Mean L2 norm of the residual stream at the layer and read position (the unit of α by default). */
    public static final String KEY_MEAN_RESIDUAL_NORM = "mean_residual_norm";

    public SteeringVector {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0, got " + layer);
        }
        Objects.requireNonNull(values, "values");
        if (values.length == 0) {
            throw new IllegalArgumentException("a steering vector needs at least one value");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("steering vector value " + i + " is " + values[i] + "; every value must be finite");
            }
        }
        values = values.clone();
        TreeMap<String, String> m = new TreeMap<>(Objects.requireNonNull(metadata, "metadata"));
        String declared = m.get(KEY_LAYER);
        if (declared != null && !declared.equals(Integer.toString(layer))) {
            throw new IllegalArgumentException("metadata says layer " + declared + " but the vector is for layer " + layer);
        }
        m.put(KEY_LAYER, Integer.toString(layer));
        metadata = Collections.unmodifiableMap(m);
    }

    /** A vector with metadata. */
    public static SteeringVector of(int layer, float[] values, Map<String, String> metadata) {
        return new SteeringVector(layer, values, metadata);
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    /** d_model. */
    public int dimension() {
        return values.length;
    }

    /** Euclidean norm of the values, in double. */
    public double norm() {
        double s = 0;
        for (float v : values) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    /** The recorded mean residual norm at the layer, if any. */
    public OptionalDouble meanResidualNorm() {
        String s = metadata.get(KEY_MEAN_RESIDUAL_NORM);
        return s == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(s));
    }

    /** A copy with one more (or a replaced) metadata entry. */
    public SteeringVector withMetadata(String key, String value) {
        TreeMap<String, String> m = new TreeMap<>(metadata);
        m.put(key, value);
        return new SteeringVector(layer, values, m);
    }

    /** Writes the vector as safetensors ({@value #TENSOR}, F32 {@code [d_model]}) with the metadata, atomically. */
    public void save(Path file) {
        SafetensorsWriter w = new SafetensorsWriter();
        metadata.forEach(w::metadata);
        w.addFloats(TENSOR, new long[] {values.length}, SafetensorsWriter.DType.F32, values.clone());
        w.write(file);
    }

    /**
     * Reads a vector written by {@link #save}, taking the layer from the metadata.
     *
     * @throws SteeringVectorException if the file has no {@code layer} metadata (use {@link #load(Path, int)}), it is not
     *                             an integer, or the file is not exactly one F32 {@code [d_model]} tensor
     */
    public static SteeringVector load(Path file) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            String layer = f.metadata().get(KEY_LAYER);
            if (layer == null) {
                throw new SteeringVectorException("Steering vector file " + file + " does not record its layer",
                        "its metadata has no \"" + KEY_LAYER + "\" entry", "Pass the layer explicitly (--layer L).");
            }
            return checked(file, layerOf(layer, file), readVector(f, file), f.metadata());
        }
    }

    /**
     * Reads a vector for a given layer: a file written by {@link #save}, or any safetensors file holding one F32
     * tensor of shape {@code [d_model]} (its name does not matter).
     *
     * @throws SteeringVectorException if the file records another layer, or its tensors are not one F32 vector
     */
    public static SteeringVector load(Path file, int layer) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            TreeMap<String, String> meta = new TreeMap<>(f.metadata());
            String declared = meta.get(KEY_LAYER);
            if (declared != null && layerOf(declared, file) != layer) {
                throw new SteeringVectorException("Steering vector file " + file + " was built for layer " + declared
                        + ", not layer " + layer, null, "Pass --layer " + declared + ", or the vector built for layer "
                        + layer + ".");
            }
            meta.remove(KEY_LAYER);
            return checked(file, layer, readVector(f, file), meta);
        }
    }

    /** The vector, with the record's own checks (finite values, a layer >= 0) reported as bad input naming the file. */
    private static SteeringVector checked(Path file, int layer, float[] values, Map<String, String> metadata) {
        try {
            return new SteeringVector(layer, values, metadata);
        } catch (IllegalArgumentException e) {
            throw new SteeringVectorException("Steering vector file " + file + " is not usable", e.getMessage(),
                    "Pass a vector file that a steeropt command wrote, or build it again.", e);
        }
    }

    private static int layerOf(String declared, Path file) {
        try {
            int layer = Integer.parseInt(declared.strip());
            if (layer >= 0) {
                return layer;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SteeringVectorException("Steering vector file " + file + " records layer \"" + declared + "\"",
                "a layer is an integer >= 0", "Write the vector again with steeropt, or pass --layer L.");
    }

    private static float[] readVector(SafetensorsFile f, Path file) {
        Map<String, TensorInfo> tensors = f.tensors();
        TensorInfo t = tensors.get(TENSOR);
        if (t == null) {
            if (tensors.size() != 1) {
                List<String> names = new ArrayList<>(tensors.keySet());
                throw new SteeringVectorException("Steering vector file " + file + " has tensors " + names,
                        "expected one F32 tensor of shape [d_model] (named '" + TENSOR + "' when there are several)",
                        "Pass the file a steeropt command wrote.");
            }
            t = tensors.values().iterator().next();
        }
        if (t.dtype() != SafetensorsDtype.F32 || t.shape().length != 1) {
            throw new SteeringVectorException("Steering vector tensor '" + t.name() + "' of " + file + " is " + t.dtype()
                    + " " + Arrays.toString(t.shape()), "expected F32 [d_model]", "Pass the file a steeropt command wrote.");
        }
        return f.readFloats(t.name());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SteeringVector s && layer == s.layer && Arrays.equals(values, s.values) && metadata.equals(s.metadata);
    }

    @Override
    public int hashCode() {
        return (31 * layer + Arrays.hashCode(values)) * 31 + metadata.hashCode();
    }

    @Override
    public String toString() {
        return "SteeringVector[layer=" + layer + ", d_model=" + values.length + ", norm=" + (float) norm() + ", " + metadata + "]";
    }
}
