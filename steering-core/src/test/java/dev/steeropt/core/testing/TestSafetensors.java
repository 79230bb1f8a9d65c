package dev.steeropt.core.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.core.model.weights.SafetensorsFile;
import dev.steeropt.core.model.weights.TensorInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Test helper: copies and edits safetensors files (drop a tensor, write raw bytes) to build broken checkpoints. */
public final class TestSafetensors {
    private TestSafetensors() {
    }

    /** Copies a file, leaving out the named tensors. */
    public static void copyWithout(Path src, Path dst, String... drop) throws IOException {
        Map<String, TensorInfo> keep = new TreeMap<>();
        Map<String, ByteBuffer> data = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(src)) {
            for (TensorInfo t : f.tensors().values()) {
                if (!java.util.List.of(drop).contains(t.name())) {
                    keep.put(t.name(), t);
                    ByteBuffer b = f.data(t.name());
                    ByteBuffer copy = ByteBuffer.allocate(b.remaining());
                    copy.put(b);
                    copy.flip();
                    data.put(t.name(), copy);
                }
            }
        }
        ObjectMapper om = new ObjectMapper();
        ObjectNode header = om.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long off = 0;
        for (TensorInfo t : keep.values()) {
            ObjectNode e = header.putObject(t.name());
            e.put("dtype", t.dtype().name());
            var shape = e.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            e.putArray("data_offsets").add(off).add(off + t.byteLength());
            off += t.byteLength();
        }
        byte[] h = om.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        try (OutputStream out = Files.newOutputStream(dst)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(h);
            for (int i = h.length; i < padded; i++) {
                out.write(' ');
            }
            for (TensorInfo t : keep.values()) {
                ByteBuffer b = data.get(t.name());
                out.write(b.array(), 0, b.remaining());
            }
        }
    }

    /** Writes a file of one F32 tensor. */
    public static void writeF32(Path dst, String name, long[] shape, float[] values) throws IOException {
        ObjectMapper om = new ObjectMapper();
        ObjectNode header = om.createObjectNode();
        ObjectNode e = header.putObject(name);
        e.put("dtype", "F32");
        var s = e.putArray("shape");
        for (long d : shape) {
            s.add(d);
        }
        e.putArray("data_offsets").add(0).add(4L * values.length);
        byte[] h = om.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        ByteBuffer body = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        body.asFloatBuffer().put(values);
        try (OutputStream out = Files.newOutputStream(dst)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(h);
            for (int i = h.length; i < padded; i++) {
                out.write(' ');
            }
            out.write(body.array());
        }
    }

    /** Copies every file of a model folder into {@code dst}. */
    public static void copyDir(Path src, Path dst) throws IOException {
        Files.createDirectories(dst);
        try (var files = Files.list(src)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p)) {
                    Files.copy(p, dst.resolve(p.getFileName()));
                }
            }
        }
    }
}
