package dev.steeropt.core.steering;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * llama.cpp control vectors: the GGUF layout that repeng's {@code export_gguf} and llama.cpp's
 * {@code cvector-generator} write and {@code --control-vector FILE} loads.
 *
 * <p>Layout (GGUF v3, little-endian, 32-byte alignment): key/values {@code general.architecture = "controlvector"},
 * {@code controlvector.model_hint} (string, the HF {@code model_type}) and {@code controlvector.layer_count}
 * (uint32); one F32 1-D tensor {@code direction.<L>} of {@code n_embd} values per layer.
 *
 * <p><b>Layer numbering.</b> {@code direction.<L>} is added by llama.cpp to the output of its zero-based block
 * {@code L} ({@code build_cvec(cur, il)} at the end of block {@code il}; {@code tensors[il]} is filled from
 * {@code direction.il}), and repeng writes its zero-based {@code model.layers} index. Both are our
 * {@code blocks.{L}.hook_resid_post}, so the index is written unchanged. llama.cpp keeps no tensor for block 0
 * ("there's never a tensor for layer 0") and its loader rejects {@code direction.0}, so a layer-0 vector cannot be
 * exported and {@link #write} refuses it instead of writing a file llama.cpp would reject.
 */
public final class ControlVectorGguf {
    /** The architecture string of control-vector files. */
    public static final String ARCH = "controlvector";
    private static final int MAGIC = 0x46554747; // "GGUF" little-endian
    private static final int VERSION = 3;
    private static final int ALIGNMENT = 32;
    private static final int TYPE_UINT32 = 4;
    private static final int TYPE_STRING = 8;
    private static final int GGML_TYPE_F32 = 0;

    private ControlVectorGguf() {}

    /**
     * The parsed contents of a control-vector file.
     *
     * @param metadata   every key/value, in file order (strings and integers as Java values)
     * @param directions layer → values, in file order
     */
    public record Contents(Map<String, Object> metadata, Map<Integer, float[]> directions) {
        public Contents {
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            directions = Collections.unmodifiableMap(new LinkedHashMap<>(directions));
        }

        /** {@code controlvector.model_hint}. */
        public String modelHint() {
            return (String) metadata.get(ARCH + ".model_hint");
        }
    }

    /**
     * Writes one or more layer vectors as a control-vector GGUF (atomically).
     *
     * @param vectors   at most one per layer, all of the same d_model; the values are written as they are (scale them
     *                  first: llama.cpp multiplies by its {@code --control-vector-scaled} factor, 1 by default)
     * @param modelHint the model's {@code model_type}, e.g. {@code llama}
     * @throws IllegalArgumentException for layer 0, a repeated layer, mixed sizes or no vector
     */
    public static void write(Path file, List<SteeringVector> vectors, String modelHint) {
        Objects.requireNonNull(modelHint, "modelHint");
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException("a control vector needs at least one layer");
        }
        TreeMap<Integer, float[]> byLayer = new TreeMap<>();
        int d = vectors.get(0).dimension();
        for (SteeringVector v : vectors) {
            if (v.layer() == 0) {
                throw new IllegalArgumentException("layer 0 cannot be exported: llama.cpp has no control-vector slot for block 0"
                        + " and rejects direction.0; steer layer 1 or later");
            }
            if (v.dimension() != d) {
                throw new IllegalArgumentException("layer " + v.layer() + " has " + v.dimension() + " values, but layer "
                        + vectors.get(0).layer() + " has " + d + "; a control vector has one n_embd");
            }
            if (byLayer.put(v.layer(), v.values()) != null) {
                throw new IllegalArgumentException("layer " + v.layer() + " is given twice");
            }
        }
        ByteBuffer buf = ByteBuffer.allocate(estimate(byLayer, d, modelHint)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(VERSION).putLong(byLayer.size()).putLong(3);
        putString(buf, "general.architecture");
        buf.putInt(TYPE_STRING);
        putString(buf, ARCH);
        putString(buf, ARCH + ".model_hint");
        buf.putInt(TYPE_STRING);
        putString(buf, modelHint);
        putString(buf, ARCH + ".layer_count");
        buf.putInt(TYPE_UINT32).putInt(byLayer.size());
        long offset = 0;
        long bytes = 4L * d;
        for (int layer : byLayer.keySet()) {
            putString(buf, "direction." + layer);
            buf.putInt(1).putLong(d).putInt(GGML_TYPE_F32).putLong(offset);
            offset += align(bytes);
        }
        pad(buf);
        for (float[] v : byLayer.values()) {
            for (float x : v) {
                buf.putFloat(x);
            }
            pad(buf);
        }
        Path tmp = file.toAbsolutePath().resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(tmp.getParent());
            Files.write(tmp, java.util.Arrays.copyOf(buf.array(), buf.position()));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write control vector " + file, e);
        }
    }

    /**
     * Parses a GGUF control-vector file (string and uint32 values; F32 1-D tensors). Every count, length and offset is
     * checked against the file's size before it is used, so a corrupt file is refused before anything is allocated.
     *
     * @throws SteeringVectorException if the file cannot be read or is not a GGUF v2/v3 control vector
     */
    public static Contents read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SteeringVectorException("Cannot read control vector " + file, e.toString(),
                    "Check the path and the file's permissions.", e);
        }
        try {
            return parse(file, bytes);
        } catch (BufferUnderflowException e) {
            throw bad(file, "it ends before its header does (truncated)");
        }
    }

    private static Contents parse(Path file, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 24 || b.getInt() != MAGIC) {
            throw bad(file, "it is not a GGUF file (bad magic)");
        }
        int version = b.getInt();
        if (version != 2 && version != 3) {
            throw bad(file, "it is GGUF version " + version + "; expected 2 or 3");
        }
        long nTensors = b.getLong();
        long nKv = b.getLong();
        // a key-value pair takes at least 12 bytes (empty key, type), a tensor entry at least 32
        if (nKv < 0 || nKv > b.remaining() / 12 || nTensors < 0 || nTensors > b.remaining() / 32) {
            throw bad(file, "it claims " + Long.toUnsignedString(nKv) + " metadata entries and "
                    + Long.toUnsignedString(nTensors) + " tensors, more than its " + bytes.length + " bytes can hold");
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        for (long i = 0; i < nKv; i++) {
            String key = getString(b, file);
            int type = b.getInt();
            if (type == TYPE_STRING) {
                meta.put(key, getString(b, file));
            } else if (type == TYPE_UINT32) {
                meta.put(key, Integer.toUnsignedLong(b.getInt()));
            } else {
                throw bad(file, "key " + key + " has GGUF type " + type + "; a control vector holds only strings and uint32");
            }
        }
        record Info(String name, long n, long offset) {}
        List<Info> infos = new ArrayList<>();
        for (long i = 0; i < nTensors; i++) {
            String name = getString(b, file);
            int dims = b.getInt();
            if (dims != 1) {
                throw bad(file, "tensor " + name + " has " + dims + " dimensions; expected 1");
            }
            long n = b.getLong();
            int type = b.getInt();
            if (type != GGML_TYPE_F32) {
                throw bad(file, "tensor " + name + " has ggml type " + type + "; expected F32 (0)");
            }
            infos.add(new Info(name, n, b.getLong()));
        }
        long dataStart = align(b.position());
        Map<Integer, float[]> dirs = new LinkedHashMap<>();
        for (Info t : infos) {
            if (!t.name().startsWith("direction.")) {
                throw bad(file, "tensor " + t.name() + " is not named direction.<layer>");
            }
            int layer;
            try {
                layer = Integer.parseInt(t.name().substring("direction.".length()));
            } catch (NumberFormatException e) {
                layer = -1;
            }
            if (layer < 0) {
                throw bad(file, "tensor " + t.name() + " does not name a layer (direction.<layer>, layer >= 0)");
            }
            if (t.n() <= 0 || t.offset() < 0 || t.n() > (bytes.length - dataStart) / 4
                    || t.offset() > bytes.length - dataStart - 4 * t.n()) {
                throw bad(file, "tensor " + t.name() + " claims " + Long.toUnsignedString(t.n()) + " floats at offset "
                        + Long.toUnsignedString(t.offset()) + ", outside the file's " + bytes.length + " bytes");
            }
            float[] v = new float[(int) t.n()];
            ByteBuffer data = ByteBuffer.wrap(bytes, (int) (dataStart + t.offset()), 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            data.asFloatBuffer().get(v);
            dirs.put(layer, v);
        }
        return new Contents(meta, dirs);
    }

    private static SteeringVectorException bad(Path file, String why) {
        return new SteeringVectorException("Cannot read control vector " + file, why,
                "Pass a GGUF control vector as llama.cpp's control-vector tools write it.");
    }

    private static int estimate(Map<Integer, float[]> byLayer, int d, String hint) {
        long header = 24 + 3 * (8 + 40 + 4) + hint.getBytes(StandardCharsets.UTF_8).length + 8 + ARCH.length() + 4L;
        header += byLayer.size() * (8 + 24 + 4 + 8 + 4 + 8L);
        long total = align(header) + byLayer.size() * align(4L * d) + ALIGNMENT;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("control vector too large: " + total + " bytes");
        }
        return (int) total;
    }

    private static long align(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private static void pad(ByteBuffer buf) {
        while (buf.position() % ALIGNMENT != 0) {
            buf.put((byte) 0);
        }
    }

    private static void putString(ByteBuffer buf, String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        buf.putLong(u.length).put(u);
    }

    private static String getString(ByteBuffer b, Path file) {
        long n = b.getLong();
        if (n < 0 || n > b.remaining()) {
            throw bad(file, "a string of length " + Long.toUnsignedString(n) + " runs past the end of the file");
        }
        byte[] u = new byte[(int) n];
        b.get(u);
        return new String(u, StandardCharsets.UTF_8);
    }
}
