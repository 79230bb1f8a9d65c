package dev.steeropt.core.model.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.model.ModelLoadException;
import dev.steeropt.core.model.io.JsonProblem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A memory-mapped safetensors file: the header is read and validated when the file is opened, tensor data is mapped
 * on demand, one tensor at a time (so files above 2 GB work).
 *
 * <p>Validation happens before anything large is allocated: the header length must fit in the file (and be below
 * {@value #MAX_HEADER_BYTES} bytes), every tensor's byte range must lie inside the data section and match
 * {@code elements × dtype size}. A truncated file or a header claiming terabytes therefore fails at once with a
 * {@link ModelLoadException} naming the file, instead of an out-of-memory error or a hang.
 *
 * <p>Instances are immutable after {@link #open(Path)}; {@link #data(String)} may be called from any thread.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Upper bound on the JSON header; real headers of 100B-parameter checkpoints are well below 10 MB. */
    public static final long MAX_HEADER_BYTES = 100L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final long dataLength;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, long dataLength,
            Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.dataLength = dataLength;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Opens and validates a safetensors file.
     *
     * @throws ModelLoadException if the file is missing, truncated, or its header is malformed or inconsistent
     */
    public static SafetensorsFile open(Path path) {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException("Cannot read weights: file " + path + " does not exist", e);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read weights file " + path + ": " + e.getMessage(), e);
        }
        try {
            SafetensorsFile f = parse(path, ch);
            return f;
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static SafetensorsFile parse(Path path, FileChannel ch) {
        try {
            long size = ch.size();
            if (size < 8) {
                throw bad(path, "the file has " + size + " bytes, fewer than the 8-byte header length", "the file is truncated; download it again");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 2 || headerLen > size - 8 || headerLen > MAX_HEADER_BYTES) {
                throw bad(path, "the header claims " + Long.toUnsignedString(headerLen) + " bytes but the file has " + size
                        + " bytes (header limit " + MAX_HEADER_BYTES + ")", "the file is truncated or not a safetensors file");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8);
            JsonNode root;
            try {
                root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8).strip());
            } catch (JsonProcessingException e) {
                throw new ModelLoadException("Cannot read weights file " + path + ": the header is not valid JSON ("
                        + JsonProblem.describe(e) + "); the file is corrupt or not a safetensors file", e);
            }
            if (root == null || !root.isObject()) {
                throw bad(path, "the header is not a JSON object", "the file is corrupt or not a safetensors file");
            }
            long dataStart = 8 + headerLen;
            long dataLength = size - dataStart;
            Map<String, TensorInfo> tensors = new TreeMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                tensors.put(e.getKey(), tensorInfo(path, e.getKey(), e.getValue(), dataLength));
            }
            return new SafetensorsFile(path, ch, dataStart, dataLength, Collections.unmodifiableMap(tensors),
                    Collections.unmodifiableMap(metadata));
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read weights file " + path + ": " + e.getMessage(), e);
        }
    }

    private static TensorInfo tensorInfo(Path path, String name, JsonNode node, long dataLength) {
        JsonNode dtype = node.get("dtype");
        JsonNode shape = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray() || offsets == null
                || !offsets.isArray() || offsets.size() != 2) {
            throw bad(path, "header entry \"" + name + "\" lacks dtype, shape or a two-element data_offsets", "the file is corrupt");
        }
        SafetensorsDtype dt;
        try {
            dt = SafetensorsDtype.parse(dtype.asText());
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("Cannot read weights file " + path + ": tensor " + name + " has " + e.getMessage(), e);
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.canConvertToLong() || d.asLong() < 0) {
                throw bad(path, "tensor " + name + " has an invalid shape " + shape, "the file is corrupt");
            }
            dims[i] = d.asLong();
        }
        if (!offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw bad(path, "tensor " + name + " has non-integer data_offsets " + offsets, "the file is corrupt");
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || end > dataLength) {
            throw bad(path, "tensor " + name + " claims bytes [" + begin + ", " + end + ") but the data section has "
                    + dataLength + " bytes", "the file is truncated; download it again");
        }
        long elements;
        try {
            elements = 1;
            for (long d : dims) {
                elements = Math.multiplyExact(elements, d);
            }
            long expected = Math.multiplyExact(elements, (long) dt.bytes());
            if (expected != end - begin) {
                throw bad(path, "tensor " + name + " " + dt + " " + shape + " needs " + expected + " bytes but data_offsets span "
                        + (end - begin), "the file is corrupt");
            }
        } catch (ArithmeticException e) {
            throw bad(path, "tensor " + name + " has a shape " + shape + " whose size overflows", "the file is corrupt");
        }
        return new TensorInfo(name, dt, dims, begin, end);
    }

    private static ModelLoadException bad(Path path, String why, String fix) {
        return new ModelLoadException("Cannot read weights file " + path + ": " + why + "; " + fix);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
        buf.flip();
    }

    /** The file this reader maps. */
    public Path path() {
        return path;
    }

    /** All tensors, by name (sorted). */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The {@code __metadata__} entries (may be empty). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Size of the data section in bytes. */
    public long dataLength() {
        return dataLength;
    }

    /**
     * The header entry of one tensor.
     *
     * @throws ModelLoadException naming the tensor and file when it is absent
     */
    public TensorInfo info(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new ModelLoadException("Tensor " + name + " is missing from " + path + " (it has " + tensors.size() + " tensors)");
        }
        return t;
    }

    /** A read-only, little-endian, memory-mapped view of one tensor's bytes. */
    public ByteBuffer data(String name) {
        TensorInfo t = info(name);
        try {
            if (t.byteLength() == 0) {
                return ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + t.begin(), t.byteLength()).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot map tensor " + name + " of " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads one tensor's bytes into {@code dst} from its position (positional reads, no mapping, so nothing stays
     * resident after the call); on return the tensor's bytes lie between 0 and the limit.
     *
     * @throws IllegalArgumentException if {@code dst} has less room than the tensor
     * @throws ModelLoadException       if the file cannot be read
     */
    public ByteBuffer read(String name, ByteBuffer dst) {
        TensorInfo t = info(name);
        if (dst.remaining() < t.byteLength()) {
            throw new IllegalArgumentException("tensor " + name + " has " + t.byteLength() + " bytes; the buffer has room for "
                    + dst.remaining());
        }
        dst.limit(dst.position() + Math.toIntExact(t.byteLength()));
        try {
            readFully(channel, dst, dataStart + t.begin());
            return dst;
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read tensor " + name + " of " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * One floating-point tensor converted to float32 values in row-major order. BF16 widens exactly
     * ({@code bits << 16}); F16 converts exactly.
     *
     * @throws ModelLoadException if the tensor is not F32, F16, BF16 or F64, or is larger than a Java array
     */
    public float[] readFloats(String name) {
        TensorInfo t = info(name);
        long n = t.elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new ModelLoadException("Tensor " + name + " of " + path + " has " + n + " elements, too many for a Java array");
        }
        ByteBuffer b = data(name);
        float[] out = new float[(int) n];
        switch (t.dtype()) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case BF16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xFFFF) << 16);
                }
            }
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat(b.getShort(i * 2));
                }
            }
            default -> throw new ModelLoadException("Tensor " + name + " of " + path + " is " + t.dtype()
                    + ", not a floating-point type (expected F32, F16 or BF16)");
        }
        return out;
    }

    /** Reads an integer tensor (I64, I32) as longs. */
    public long[] readLongs(String name) {
        TensorInfo t = info(name);
        ByteBuffer b = data(name);
        long[] out = new long[Math.toIntExact(t.elementCount())];
        switch (t.dtype()) {
            case I64 -> b.asLongBuffer().get(out);
            case I32 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.getInt(i * 4);
                }
            }
            default -> throw new ModelLoadException("Tensor " + name + " of " + path + " is " + t.dtype() + ", expected I64 or I32");
        }
        return out;
    }

    /** IEEE 754 binary16 to float, exact. */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to report: the file was only read
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
