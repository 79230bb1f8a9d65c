package dev.steeropt.core.model.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes a standard safetensors file, the format Hugging Face stores weights in.
 *
 * <p>Layout: an 8-byte little-endian header length {@code N}; {@code N} bytes of compact UTF-8 JSON, padded with
 * spaces to a multiple of 8; then the raw little-endian tensor data. The header lists {@code __metadata__} first
 * (string values only), then each tensor as {@code {"dtype", "shape", "data_offsets": [begin, end]}}; tensors are
 * stored back to back in sorted-name order, offsets relative to the first data byte. This is byte for byte what
 * the fixtures under {@code shared/fixtures/models} contain.
 *
 * <p>Data is streamed: a tensor is either an array the caller already holds (not copied) or a {@link FloatSource} /
 * {@link LongSource} asked for its values in chunks while the file is written, so a 2 GB checkpoint never exists
 * twice in memory. Floats can be stored as {@code F32}, {@code F16} or {@code BF16} (both rounded to nearest even,
 * as torch's {@code .to()}), integers as {@code I64} or {@code I32}. The file appears atomically: it is written to a
 * temporary sibling and moved into place.
 *
 * <p>Not thread-safe; one writer per file.
 *
 * {@snippet :
 * SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
 * w.addFloats("model.norm.weight", new long[] {576}, DType.F32, ones);
 * w.addFloats("model.embed_tokens.weight", new long[] {49152, 576}, DType.F32, (buf, n) -> fillGaussian(buf, n));
 * w.write(dir.resolve("model.safetensors"));
 * }
 */
public final class SafetensorsWriter {

    /** Element types this writer can store. */
    public enum DType {
        F32(4), F16(2), BF16(2), I64(8), I32(4);

        private final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        /** Bytes per element. */
        public int bytes() {
            return bytes;
        }

        boolean isFloat() {
            return this == F32 || this == F16 || this == BF16;
        }
    }

    /** Supplies float values sequentially: fill {@code buffer[0..count)} with the next {@code count} values. */
    @FunctionalInterface
    public interface FloatSource {
        void next(float[] buffer, int count);
    }

    /** Supplies integer values sequentially: fill {@code buffer[0..count)} with the next {@code count} values. */
    @FunctionalInterface
    public interface LongSource {
        void next(long[] buffer, int count);
    }

    private static final int CHUNK_ELEMENTS = 1 << 16;

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final TreeMap<String, Entry> tensors = new TreeMap<>();

    private record Entry(String name, DType dtype, long[] shape, long numel, FloatSource floats, LongSource longs) {}

    /** A writer with no tensors and no metadata. */
    public SafetensorsWriter() {}

    /**
     * Adds a metadata entry ({@code __metadata__} in the header), kept in insertion order.
     *
     * @return this writer
     */
    public SafetensorsWriter metadata(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        metadata.put(key, value);
        return this;
    }

    /**
     * Adds a float tensor held in memory (not copied: do not change it before {@link #write}).
     *
     * @param dtype F32, F16 or BF16
     * @throws IllegalArgumentException if the shape does not match {@code data.length}, the dtype is not a float
     *                                  type, or the name is taken
     */
    public SafetensorsWriter addFloats(String name, long[] shape, DType dtype, float[] data) {
        Objects.requireNonNull(data, "data");
        checkLength(name, shape, data.length);
        int[] pos = {0};
        return addFloats(name, shape, dtype, (buf, n) -> {
            System.arraycopy(data, pos[0], buf, 0, n);
            pos[0] += n;
        });
    }

    /**
     * Adds a float tensor whose values are produced while writing, in order, exactly once.
     *
     * @param dtype F32, F16 or BF16
     */
    public SafetensorsWriter addFloats(String name, long[] shape, DType dtype, FloatSource source) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(dtype, "dtype");
        if (!dtype.isFloat()) {
            throw new IllegalArgumentException("tensor '" + name + "': float values cannot be stored as " + dtype
                    + "; use F32, F16 or BF16, or addLongs/addInts for integer data");
        }
        long numel = checkShape(name, shape);
        put(new Entry(name, dtype, shape.clone(), numel, source, null));
        return this;
    }

    /**
     * Adds an integer tensor held in memory (not copied).
     *
     * @param dtype I64 or I32 (values outside the int range are rejected when written as I32)
     */
    public SafetensorsWriter addLongs(String name, long[] shape, DType dtype, long[] data) {
        Objects.requireNonNull(data, "data");
        checkLength(name, shape, data.length);
        int[] pos = {0};
        return addLongs(name, shape, dtype, (buf, n) -> {
            System.arraycopy(data, pos[0], buf, 0, n);
            pos[0] += n;
        });
    }

    /** Adds an {@code int[]} tensor (not copied), stored as I64 or I32. */
    public SafetensorsWriter addInts(String name, long[] shape, DType dtype, int[] data) {
        Objects.requireNonNull(data, "data");
        checkLength(name, shape, data.length);
        int[] pos = {0};
        return addLongs(name, shape, dtype, (buf, n) -> {
            for (int i = 0; i < n; i++) {
                buf[i] = data[pos[0] + i];
            }
            pos[0] += n;
        });
    }

    /** Adds an integer tensor whose values are produced while writing, in order, exactly once. */
    public SafetensorsWriter addLongs(String name, long[] shape, DType dtype, LongSource source) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(dtype, "dtype");
        if (dtype != DType.I64 && dtype != DType.I32) {
            throw new IllegalArgumentException("tensor '" + name + "': integer values cannot be stored as " + dtype
                    + "; use I64 or I32, or addFloats for float data");
        }
        long numel = checkShape(name, shape);
        put(new Entry(name, dtype, shape.clone(), numel, null, source));
        return this;
    }

    /** The names added so far, sorted (the order they are stored in). */
    public java.util.List<String> names() {
        return java.util.List.copyOf(tensors.keySet());
    }

    /** The header bytes this writer will produce, padding included, without the 8-byte length prefix. */
    public byte[] header() {
        StringBuilder json = new StringBuilder("{");
        boolean first = true;
        if (!metadata.isEmpty()) {
            json.append("\"__metadata__\":{");
            boolean firstMeta = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!firstMeta) {
                    json.append(',');
                }
                firstMeta = false;
                PythonJson.quote(json, e.getKey());
                json.append(':');
                PythonJson.quote(json, e.getValue());
            }
            json.append('}');
            first = false;
        }
        long offset = 0;
        for (Entry t : tensors.values()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            long end = offset + t.numel * t.dtype.bytes();
            PythonJson.quote(json, t.name);
            json.append(":{\"dtype\":\"").append(t.dtype.name()).append("\",\"shape\":[");
            for (int i = 0; i < t.shape.length; i++) {
                if (i > 0) {
                    json.append(',');
                }
                json.append(t.shape[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] raw = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (raw.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(raw, padded);
        Arrays.fill(out, raw.length, padded, (byte) ' ');
        return out;
    }

    /** Total file size in bytes: 8 + header + data. */
    public long fileSize() {
        long data = 0;
        for (Entry t : tensors.values()) {
            data += t.numel * t.dtype.bytes();
        }
        return 8L + header().length + data;
    }

    /**
     * Writes the file: to {@code target}'s temporary sibling, then moved over {@code target}.
     *
     * @throws UncheckedIOException if the file cannot be written, naming it
     * @throws IllegalStateException if a source produced values outside the dtype's range (I32)
     */
    public void write(Path target) {
        Objects.requireNonNull(target, "target");
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        boolean moved = false;
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] header = header();
                ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
                prefix.putLong(header.length).put(header).flip();
                writeFully(ch, prefix);
                ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * 8).order(ByteOrder.LITTLE_ENDIAN);
                float[] floats = new float[CHUNK_ELEMENTS];
                long[] longs = new long[CHUNK_ELEMENTS];
                for (Entry t : tensors.values()) {
                    writeTensor(ch, buf, floats, longs, t);
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write safetensors file '" + target + "': " + e.getMessage()
                    + ". Check free disk space and that the directory is writable.", e);
        } finally {
            if (!moved) { // a failed write leaves neither a partial target nor the temporary file
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the original failure is what the caller needs to see
                }
            }
        }
    }

    private static void writeTensor(FileChannel ch, ByteBuffer buf, float[] floats, long[] longs, Entry t)
            throws IOException {
        long remaining = t.numel;
        while (remaining > 0) {
            int n = (int) Math.min(remaining, CHUNK_ELEMENTS);
            buf.clear();
            if (t.floats != null) {
                t.floats.next(floats, n);
                switch (t.dtype) {
                    case F32 -> {
                        for (int i = 0; i < n; i++) {
                            buf.putFloat(floats[i]);
                        }
                    }
                    case F16 -> {
                        for (int i = 0; i < n; i++) {
                            buf.putShort(toF16Bits(floats[i]));
                        }
                    }
                    case BF16 -> {
                        for (int i = 0; i < n; i++) {
                            buf.putShort(toBf16Bits(floats[i]));
                        }
                    }
                    default -> throw new IllegalStateException("float tensor with dtype " + t.dtype);
                }
            } else {
                t.longs.next(longs, n);
                if (t.dtype == DType.I64) {
                    for (int i = 0; i < n; i++) {
                        buf.putLong(longs[i]);
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        long v = longs[i];
                        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                            throw new IllegalStateException("tensor '" + t.name + "' holds " + v
                                    + ", which does not fit I32; store it as I64");
                        }
                        buf.putInt((int) v);
                    }
                }
            }
            buf.flip();
            writeFully(ch, buf);
            remaining -= n;
        }
    }

    /** float32 → IEEE float16 with round-to-nearest-even; overflow gives ±inf, NaN stays a (quiet) NaN. */
    static short toF16Bits(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7FFFFF;
        if (exp == 0xFF) {
            return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) { // float16 subnormal (or zero): value / 2^-24 = mant24 >> (14 - e)
            if (e < -10) {
                return (short) sign;
            }
            int mant24 = mant | 0x800000;
            int shift = 14 - e;
            int rounded = mant24 + (1 << (shift - 1)) - 1 + ((mant24 >>> shift) & 1);
            return (short) (sign | (rounded >>> shift));
        }
        int rounded = mant + 0xFFF + ((mant >>> 13) & 1);
        int out = (e << 10) + (rounded >>> 13); // a mantissa carry correctly bumps the exponent
        return (short) (sign | Math.min(out, 0x7C00));
    }

    /**
     * float32 → bfloat16 with round-to-nearest-even, as torch's {@code .to(torch.bfloat16)}; NaN stays a (quiet) NaN.
     */
    static short toBf16Bits(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private void put(Entry e) {
        if (e.name.equals("__metadata__")) {
            throw new IllegalArgumentException("'__metadata__' is reserved for the header's metadata; rename the"
                    + " tensor");
        }
        if (tensors.containsKey(e.name)) {
            throw new IllegalArgumentException("tensor '" + e.name + "' was already added; names must be unique");
        }
        tensors.put(e.name, e);
    }

    /** Checks that an in-memory array holds exactly the elements its shape declares. */
    private static void checkLength(String name, long[] shape, int length) {
        long numel = checkShape(name, shape);
        if (numel != length) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape) + " ("
                    + numel + " elements) but " + length + " values were given");
        }
    }

    private static long checkShape(String name, long[] shape) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("tensor name is empty");
        }
        long numel = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension in shape "
                        + Arrays.toString(shape));
            }
            numel = Math.multiplyExact(numel, d);
        }
        return numel;
    }
}
