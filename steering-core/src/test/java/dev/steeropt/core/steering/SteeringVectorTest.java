package dev.steeropt.core.steering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.model.io.SafetensorsWriter;
import dev.steeropt.core.model.weights.SafetensorsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steering-vector files: safetensors round trip, plain one-tensor files, and the llama.cpp control-vector GGUF. */
class SteeringVectorTest {

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void safetensorsRoundTripKeepsValuesAndMetadata(@TempDir Path dir) {
        SteeringVector v = SteeringVector.of(3, random(64, 1), Map.of(SteeringVector.KEY_MODEL_FINGERPRINT, "abc",
                SteeringVector.KEY_MEAN_RESIDUAL_NORM, "12.5", SteeringVector.KEY_N_PAIRS, "7"));
        Path f = dir.resolve("v.safetensors");
        v.save(f);
        SteeringVector back = SteeringVector.load(f);
        assertEquals(v, back);
        assertEquals(12.5, back.meanResidualNorm().orElseThrow());
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertEquals(List.of(SteeringVector.TENSOR), List.copyOf(sf.tensors().keySet()));
            assertArrayEquals(new long[] {64}, sf.info(SteeringVector.TENSOR).shape());
            assertEquals("3", sf.metadata().get("layer"));
        }
    }

    @Test
    void loadsAnyOneTensorFileForAGivenLayer(@TempDir Path dir) {
        float[] x = random(64, 2);
        Path f = dir.resolve("plain.safetensors");
        new SafetensorsWriter().addFloats("steer", new long[] {64}, SafetensorsWriter.DType.F32, x).write(f);
        SteeringVector v = SteeringVector.load(f, 2);
        assertEquals(2, v.layer());
        assertArrayEquals(x, v.values());
        SteeringVectorException noLayer = assertThrows(SteeringVectorException.class, () -> SteeringVector.load(f));
        assertTrue(noLayer.getMessage().contains("--layer"), noLayer.getMessage());

        Path two = dir.resolve("two.safetensors");
        new SafetensorsWriter().addFloats("a", new long[] {64}, SafetensorsWriter.DType.F32, x)
                .addFloats("b", new long[] {64}, SafetensorsWriter.DType.F32, x).write(two);
        assertThrows(SteeringVectorException.class, () -> SteeringVector.load(two, 2));
        Path matrix = dir.resolve("m.safetensors");
        new SafetensorsWriter().addFloats("m", new long[] {2, 32}, SafetensorsWriter.DType.F32, x).write(matrix);
        assertThrows(SteeringVectorException.class, () -> SteeringVector.load(matrix, 2));
    }

    @Test
    void ggufControlVectorParsesBack(@TempDir Path dir) throws IOException {
        SteeringVector a = SteeringVector.of(1, random(64, 3), Map.of());
        SteeringVector b = SteeringVector.of(3, random(64, 4), Map.of());
        Path f = dir.resolve("cv.gguf");
        ControlVectorGguf.write(f, List.of(b, a), "llama");

        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer h = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals('G', bytes[0]);
        assertEquals('F', bytes[3]);
        h.position(4);
        assertEquals(3, h.getInt(), "GGUF version");
        assertEquals(2, h.getLong(), "tensor count");
        assertEquals(3, h.getLong(), "key/value count");

        ControlVectorGguf.Contents c = ControlVectorGguf.read(f);
        assertEquals("controlvector", c.metadata().get("general.architecture"));
        assertEquals("llama", c.modelHint());
        assertEquals(2L, c.metadata().get("controlvector.layer_count"));
        assertEquals(List.of(1, 3), List.copyOf(c.directions().keySet()), "direction.<L> = zero-based block L, ascending");
        assertArrayEquals(a.values(), c.directions().get(1));
        assertArrayEquals(b.values(), c.directions().get(3));

        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> ControlVectorGguf.write(dir.resolve("z.gguf"), List.of(SteeringVector.of(0, random(64, 5), Map.of())), "llama"));
        assertTrue(zero.getMessage().contains("direction.0"), zero.getMessage());
    }

    @Test
    void alphaUnitsScaleToTheMeanResidualNorm() {
        float[] x = {3f, 4f};
        SteeringVector v = SteeringVector.of(0, x, Map.of(SteeringVector.KEY_MEAN_RESIDUAL_NORM, "10"));
        assertArrayEquals(new float[] {6f, 8f}, AlphaUnits.MEAN_RESIDUAL_NORM.direction(v), 1e-6f);
        assertArrayEquals(x, AlphaUnits.RAW.direction(v));
        SteeringVector bare = SteeringVector.of(0, x, Map.of());
        assertThrows(IllegalArgumentException.class, () -> SteeringMethod.Caa.of(bare, 1.0));
        assertEquals(AlphaUnits.RAW, new SteeringMethod.Caa(bare, 1.0, dev.steeropt.core.hooks.SteerPositions.ALL, AlphaUnits.RAW).units());
    }
}
