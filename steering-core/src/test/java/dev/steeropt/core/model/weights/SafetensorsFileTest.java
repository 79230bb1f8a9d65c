package dev.steeropt.core.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.model.ModelLoadException;
import dev.steeropt.core.testing.Fixture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Safetensors reading and validation: exact values, and fast, clear failures on broken files. */
class SafetensorsFileTest {
    @TempDir
    Path tmp;

    private static Path file(String model) {
        return Fixture.modelDir(model).resolve("model.safetensors");
    }

    @Test
    void readsFixtureHeaderAndF32Values() {
        try (SafetensorsFile f = SafetensorsFile.open(file("tiny-llama-fp32"))) {
            TensorInfo embed = f.info("model.embed_tokens.weight");
            assertEquals(SafetensorsDtype.F32, embed.dtype());
            assertArrayEquals(new long[] {512, 64}, embed.shape());
            float[] v = f.readFloats("model.embed_tokens.weight");
            assertEquals(512 * 64, v.length);
            assertEquals("pt", f.metadata().get("format"));
        }
    }

    @Test
    void bf16WidensExactlyToTheRoundedF32Weights() {
        try (SafetensorsFile bf = SafetensorsFile.open(file("tiny-llama-bf16"));
                SafetensorsFile fp = SafetensorsFile.open(file("tiny-llama-fp32"))) {
            String name = "model.layers.0.self_attn.q_proj.weight";
            assertEquals(SafetensorsDtype.BF16, bf.info(name).dtype());
            float[] wide = bf.readFloats(name);
            float[] full = fp.readFloats(name);
            for (int i = 0; i < wide.length; i++) {
                // round-to-nearest-even of the fp32 weight to bf16, then back
                int bits = Float.floatToRawIntBits(full[i]);
                int rounded = (bits + 0x7FFF + ((bits >>> 16) & 1)) & 0xFFFF0000;
                assertEquals(Float.intBitsToFloat(rounded), wide[i], 0f, "element " + i);
            }
        }
    }

    @Test
    void halfToFloatIsExact() {
        assertEquals(1.0f, SafetensorsFile.halfToFloat((short) 0x3C00));
        assertEquals(-2.0f, SafetensorsFile.halfToFloat((short) 0xC000));
        assertEquals(65504f, SafetensorsFile.halfToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, SafetensorsFile.halfToFloat((short) 0x0001));
        assertEquals(Float.POSITIVE_INFINITY, SafetensorsFile.halfToFloat((short) 0x7C00));
        assertTrue(Float.isNaN(SafetensorsFile.halfToFloat((short) 0x7E00)));
        assertEquals(-0f, SafetensorsFile.halfToFloat((short) 0x8000));
    }

    @Test
    void truncatedFileFailsNamingTheFile() throws IOException {
        byte[] all = Files.readAllBytes(file("tiny-llama-fp32"));
        Path cut = tmp.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(all, all.length - 100));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SafetensorsFile.open(cut));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        Path tiny = tmp.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        ModelLoadException e2 = assertThrows(ModelLoadException.class, () -> SafetensorsFile.open(tiny));
        assertTrue(e2.getMessage().contains("fewer than the 8-byte header length"), e2.getMessage());
    }

    @Test
    void headerClaimingTerabytesFailsFast() throws IOException {
        Path f = tmp.resolve("huge.safetensors");
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(1L << 42);
        Files.write(f, b.array());
        long t0 = System.nanoTime();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SafetensorsFile.open(f));
        assertTrue(e.getMessage().contains("header claims 4398046511104 bytes"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "validation must not read the claimed size");
    }

    @Test
    void tensorClaimingHugeShapeOrOutOfRangeOffsetsFails() throws IOException {
        Path f = tmp.resolve("bad.safetensors");
        writeRaw(f, "{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000,1000000],\"data_offsets\":[0,16]}}", new byte[16]);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SafetensorsFile.open(f));
        assertTrue(e.getMessage().contains("needs 4000000000000 bytes but data_offsets span 16"), e.getMessage());

        writeRaw(f, "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,1099511627776]}}", new byte[16]);
        ModelLoadException e2 = assertThrows(ModelLoadException.class, () -> SafetensorsFile.open(f));
        assertTrue(e2.getMessage().contains("but the data section has 16 bytes"), e2.getMessage());

        writeRaw(f, "{\"w\":{\"dtype\":\"Q4\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[16]);
        ModelLoadException e3 = assertThrows(ModelLoadException.class, () -> SafetensorsFile.open(f));
        assertTrue(e3.getMessage().contains("dtype \"Q4\" is not supported"), e3.getMessage());

        writeRaw(f, "not json at all", new byte[0]);
        ModelLoadException e4 = assertThrows(ModelLoadException.class, () -> SafetensorsFile.open(f));
        assertTrue(e4.getMessage().contains("not valid JSON"), e4.getMessage());
    }

    @Test
    void missingFileAndMissingTensorHaveDistinctMessages() {
        Path none = tmp.resolve("none.safetensors");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SafetensorsFile.open(none));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        try (SafetensorsFile f = SafetensorsFile.open(file("tiny-gpt2-fp32"))) {
            ModelLoadException e2 = assertThrows(ModelLoadException.class, () -> f.info("lm_head.weight"));
            assertTrue(e2.getMessage().contains("Tensor lm_head.weight is missing"), e2.getMessage());
        }
    }

    @Test
    void shardedStoreJoinsShardsAndEqualsTheSingleFile() {
        try (WeightStore sharded = WeightStore.open(Fixture.modelDir("tiny-llama-sharded"));
                WeightStore single = WeightStore.open(Fixture.modelDir("tiny-llama-fp32"))) {
            assertEquals(single.names(), sharded.names());
            for (String n : single.names()) {
                assertArrayEquals(single.readFloats(n), sharded.readFloats(n), n);
            }
        }
    }

    private static void writeRaw(Path f, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Files.write(f, b.array());
    }
}
