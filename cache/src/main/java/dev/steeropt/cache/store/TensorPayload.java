package dev.steeropt.cache.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Encodes cache entries as standard safetensors (F32 only): 8-byte little-endian header length, a JSON header
 * padded with spaces to a multiple of 8, then the tensors back to back in name order. Any safetensors reader can
 * open a cache payload.
 */
final class TensorPayload {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TensorPayload() {}

    static byte[] encode(List<CachedTensor> tensors, Map<String, String> metadata) {
        List<CachedTensor> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparing(CachedTensor::name));
        ObjectNode header = JSON.createObjectNode();
        header.set("__metadata__", JSON.valueToTree(metadata));
        long offset = 0;
        for (CachedTensor t : sorted) {
            ObjectNode e = header.putObject(t.name());
            e.put("dtype", "F32");
            e.set("shape", JSON.valueToTree(t.shape()));
            e.putArray("data_offsets").add(offset).add(offset + t.byteSize());
            offset += t.byteSize();
        }
        byte[] h;
        try {
            h = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int padded = (h.length + 7) / 8 * 8;
        if (offset + padded + 8 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a cache entry is limited to 2 GiB; got " + offset + " bytes of tensors");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded);
        buf.put(h);
        for (int i = h.length; i < padded; i++) {
            buf.put((byte) ' ');
        }
        for (CachedTensor t : sorted) {
            buf.asFloatBuffer().put(t.data());
            buf.position(buf.position() + 4 * t.data().length);
        }
        return buf.array();
    }

    static List<CachedTensor> decode(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8) {
            throw new IllegalArgumentException("payload too short for a safetensors header");
        }
        long n = buf.getLong();
        if (n < 2 || n > bytes.length - 8) {
            throw new IllegalArgumentException("safetensors header length " + n + " does not fit a " + bytes.length
                    + "-byte payload");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("safetensors header is not JSON", e);
        }
        int dataStart = (int) (8 + n);
        List<CachedTensor> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode t = e.getValue();
            if (!"F32".equals(t.path("dtype").asText())) {
                throw new IllegalArgumentException("tensor " + e.getKey() + " is " + t.path("dtype") + ", expected F32");
            }
            long[] shape = new long[t.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.path("shape").get(i).asLong();
            }
            long begin = t.path("data_offsets").path(0).asLong(-1);
            long end = t.path("data_offsets").path(1).asLong(-1);
            if (begin < 0 || end < begin || dataStart + end > bytes.length || (end - begin) % 4 != 0) {
                throw new IllegalArgumentException("tensor " + e.getKey() + " has offsets [" + begin + ", " + end
                        + "] outside the payload");
            }
            float[] data = new float[(int) ((end - begin) / 4)];
            ByteBuffer.wrap(bytes, (int) (dataStart + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer().get(data);
            out.add(new CachedTensor(e.getKey(), shape, data));
        }
        return out;
    }
}
