package dev.steeropt.core.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A deliberately independent, minimal safetensors reader for tests: it parses the header with Jackson and slices the
 * data, so the writer is not checked against its own code.
 */
public final class TestSafetensorsReader {
    public final byte[] file;
    final long headerLength;
    final JsonNode header;
    public final List<String> namesInFileOrder = new ArrayList<>();

    public TestSafetensorsReader(Path path) throws IOException {
        file = Files.readAllBytes(path);
        ByteBuffer bb = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        headerLength = bb.getLong(0);
        header = new ObjectMapper().readTree(new String(file, 8, (int) headerLength,
                java.nio.charset.StandardCharsets.UTF_8).stripTrailing());
        for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
            namesInFileOrder.add(it.next());
        }
    }

    public String dtype(String name) {
        return header.get(name).get("dtype").asText();
    }

    public long[] shape(String name) {
        JsonNode s = header.get(name).get("shape");
        long[] out = new long[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i).asLong();
        }
        return out;
    }

    ByteBuffer data(String name) {
        JsonNode off = header.get(name).get("data_offsets");
        int begin = (int) (8 + headerLength + off.get(0).asLong());
        int end = (int) (8 + headerLength + off.get(1).asLong());
        return ByteBuffer.wrap(file, begin, end - begin).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** F32, or BF16/F16 widened exactly to float. */
    public float[] floats(String name) {
        ByteBuffer d = data(name);
        String dtype = dtype(name);
        int n = d.remaining() / (dtype.equals("F32") ? 4 : 2);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case "F32" -> d.getFloat();
                case "BF16" -> Float.intBitsToFloat((d.getShort() & 0xFFFF) << 16);
                case "F16" -> halfToFloat(d.getShort());
                default -> throw new IllegalArgumentException(dtype);
            };
        }
        return out;
    }

    public long[] longs(String name) {
        ByteBuffer d = data(name);
        boolean i64 = dtype(name).equals("I64");
        long[] out = new long[d.remaining() / (i64 ? 8 : 4)];
        for (int i = 0; i < out.length; i++) {
            out[i] = i64 ? d.getLong() : d.getInt();
        }
        return out;
    }

    public Map<String, String> metadata() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        header.path("__metadata__").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0) {
            return (sign != 0 ? -1 : 1) * mant * (float) Math.pow(2, -24);
        }
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
