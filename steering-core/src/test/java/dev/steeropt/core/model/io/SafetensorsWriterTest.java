package dev.steeropt.core.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.model.io.SafetensorsWriter.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SafetensorsWriter: exact round trips (no tolerance: F32/I64/I32 are bit-exact, F16/BF16 exact to the rounding). */
class SafetensorsWriterTest {

    @Test
    void roundTripsEveryDtypeWithMetadataFirstAndSortedNames(@TempDir Path dir) throws IOException {
        float[] f = {1.0f, -2.5f, 0.1f, 3.4e38f, Float.NEGATIVE_INFINITY, 0.0f};
        long[] l = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, 42};
        int[] i = {Integer.MIN_VALUE, -7, 0, 7, Integer.MAX_VALUE, 3};
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt").metadata("note", "a \"quoted\" é");
        w.addFloats("z.f32", new long[] {2, 3}, DType.F32, f);
        w.addFloats("b.bf16", new long[] {6}, DType.BF16, f);
        w.addFloats("c.f16", new long[] {3, 2}, DType.F16, f);
        w.addLongs("a.i64", new long[] {6}, DType.I64, l);
        w.addInts("d.i32", new long[] {1, 6}, DType.I32, i);
        w.addFloats("e.scalar", new long[] {}, DType.F32, new float[] {7.5f});
        w.addFloats("f.empty", new long[] {0, 4}, DType.F32, new float[0]);
        Path file = dir.resolve("t.safetensors");
        w.write(file);

        TestSafetensorsReader r = new TestSafetensorsReader(file);
        assertEquals(0, r.headerLength % 8, "header padded to a multiple of 8");
        assertEquals(List.of("__metadata__", "a.i64", "b.bf16", "c.f16", "d.i32", "e.scalar", "f.empty", "z.f32"),
                r.namesInFileOrder);
        assertEquals(Map.of("format", "pt", "note", "a \"quoted\" é"), r.metadata());
        assertArrayEquals(f, r.floats("z.f32"));
        assertArrayEquals(new long[] {2, 3}, r.shape("z.f32"));
        assertArrayEquals(l, r.longs("a.i64"));
        assertArrayEquals(new long[] {Integer.MIN_VALUE, -7, 0, 7, Integer.MAX_VALUE, 3}, r.longs("d.i32"));
        assertEquals("I32", r.dtype("d.i32"));
        assertArrayEquals(new float[] {7.5f}, r.floats("e.scalar"));
        assertArrayEquals(new long[] {}, r.shape("e.scalar"));
        assertEquals(0, r.floats("f.empty").length);
        // bf16/f16 hold the rounded values (3.4e38 overflows f16 to +inf; 0.1 rounds)
        assertArrayEquals(new float[] {1.0f, -2.5f, Float.intBitsToFloat(0x3DCD << 16),
                Float.intBitsToFloat(0x7F80 << 16), Float.NEGATIVE_INFINITY, 0.0f}, r.floats("b.bf16"));
        assertArrayEquals(new float[] {1.0f, -2.5f, TestSafetensorsReader.halfToFloat((short) 0x2E66),
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.0f}, r.floats("c.f16"));
        // data offsets are contiguous from 0 and the file ends at the last tensor
        long expectedData = 6 * 8 + 6 * 2 + 6 * 2 + 6 * 4 + 4 + 0 + 6 * 4;
        assertEquals(8 + r.headerLength + expectedData, Files.size(file));
        assertEquals(Files.size(file), w.fileSize());
        assertTrue(Files.list(dir).allMatch(p -> p.equals(file)), "no temporary file left behind");
    }

    @Test
    void halfPrecisionRoundingMatchesNumpy() {
        // expected bits from numpy: np.float32(v).astype(np.float16) and round-to-nearest-even to bfloat16
        assertEquals((short) 0x3C00, SafetensorsWriter.toF16Bits(1.0f));
        assertEquals((short) 0x7BFF, SafetensorsWriter.toF16Bits(65519.0f));
        assertEquals((short) 0x7C00, SafetensorsWriter.toF16Bits(65520.0f));
        assertEquals((short) 0x0001, SafetensorsWriter.toF16Bits((float) Math.pow(2, -24)));
        assertEquals((short) 0x0000, SafetensorsWriter.toF16Bits((float) Math.pow(2, -25)));
        assertEquals((short) 0x0001, SafetensorsWriter.toF16Bits((float) (Math.pow(2, -25) * 1.0001)));
        assertEquals((short) 0x3555, SafetensorsWriter.toF16Bits(1f / 3f));
        assertEquals((short) 0xC100, SafetensorsWriter.toF16Bits(-2.5f));
        assertEquals((short) 0x03FF, SafetensorsWriter.toF16Bits(6.1e-5f));
        assertEquals((short) 0x0002, SafetensorsWriter.toF16Bits(1e-7f));
        assertEquals((short) 0x2E66, SafetensorsWriter.toF16Bits(0.1f));
        assertEquals((short) 0x3EAB, SafetensorsWriter.toBf16Bits(1f / 3f));
        assertEquals((short) 0x4780, SafetensorsWriter.toBf16Bits(65520.0f));
        assertEquals((short) 0x33D7, SafetensorsWriter.toBf16Bits(1e-7f));
        assertEquals((short) 0x3DCD, SafetensorsWriter.toBf16Bits(0.1f));
        assertTrue(Float.isNaN(Float.intBitsToFloat(SafetensorsWriter.toBf16Bits(Float.NaN) << 16)));
    }

    /** Re-writing a fixture's tensors and metadata reproduces the file byte for byte. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama-fp32/reference/reference.safetensors", "tiny-llama-fp32/model.safetensors",
        "tiny-llama-bf16/model.safetensors", "tiny-qwen2-fp32/model.safetensors",
        "tiny-llama-sharded/model-00002-of-00002.safetensors"})
    void rewritingAFixtureIsByteIdentical(String relative, @TempDir Path dir) throws IOException {
        Path original = shared().resolve("fixtures/models").resolve(relative);
        assertTrue(Files.isRegularFile(original), "fixture missing: " + original);
        TestSafetensorsReader r = new TestSafetensorsReader(original);
        SafetensorsWriter w = new SafetensorsWriter();
        r.metadata().forEach(w::metadata);
        for (String name : r.namesInFileOrder) {
            if (name.equals("__metadata__")) {
                continue;
            }
            switch (r.dtype(name)) {
                case "F32" -> w.addFloats(name, r.shape(name), DType.F32, r.floats(name));
                case "BF16" -> w.addFloats(name, r.shape(name), DType.BF16, r.floats(name));
                case "I64" -> w.addLongs(name, r.shape(name), DType.I64, r.longs(name));
                default -> throw new AssertionError("unexpected dtype " + r.dtype(name) + " in " + original);
            }
        }
        Path copy = dir.resolve("copy.safetensors");
        w.write(copy);
        assertEquals(Files.size(original), Files.size(copy));
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy));
    }

    @Test
    void streamsLargeTensorsFromASourceInOrder(@TempDir Path dir) throws IOException {
        int n = 300_000; // several write chunks
        long[] next = {0};
        SafetensorsWriter w = new SafetensorsWriter();
        w.addFloats("big", new long[] {n}, DType.F32, (buf, count) -> {
            for (int k = 0; k < count; k++) {
                buf[k] = next[0]++;
            }
        });
        SplittableRandom rnd = new SplittableRandom(7);
        long[] ids = rnd.longs(70_000).toArray();
        w.addLongs("ids", new long[] {70_000}, DType.I64, ids);
        Path file = dir.resolve("big.safetensors");
        w.write(file);
        TestSafetensorsReader r = new TestSafetensorsReader(file);
        float[] back = r.floats("big");
        assertEquals(n, back.length);
        for (int k = 0; k < n; k++) {
            assertEquals((float) k, back[k], "element " + k);
        }
        assertArrayEquals(ids, r.longs("ids"));
    }

    @Test
    void rejectsInconsistentInput(@TempDir Path dir) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> w.addFloats("w", new long[] {2, 3}, DType.F32, new float[5]));
        assertTrue(shape.getMessage().contains("[2, 3] (6 elements) but 5 values"), shape.getMessage());
        w.addFloats("w", new long[] {1}, DType.F32, new float[1]);
        assertThrows(IllegalArgumentException.class, () -> w.addFloats("w", new long[] {1}, DType.F32, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> w.addFloats("x", new long[] {1}, DType.I64, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> w.addLongs("y", new long[] {1}, DType.F32, new long[1]));
        assertThrows(IllegalArgumentException.class,
                () -> w.addFloats("__metadata__", new long[] {1}, DType.F32, new float[1]));
        SafetensorsWriter overflow = new SafetensorsWriter();
        overflow.addLongs("big", new long[] {1}, DType.I32, new long[] {1L << 40});
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> overflow.write(dir.resolve("overflow.safetensors")));
        assertTrue(e.getMessage().contains("does not fit I32"), e.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "a failed write leaves no file behind");
        }
    }

    static Path shared() {
        String prop = System.getProperty("steeropt.shared");
        assertTrue(prop != null && !prop.isBlank(), "system property steeropt.shared is not set");
        return Path.of(prop);
    }
}
