package dev.steeropt.studies.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.steering.AlphaUnits;
import dev.steeropt.core.steering.ControlVectorGguf;
import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.studies.objective.TrialConfig;
import dev.steeropt.studies.spec.SteerMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code best_control_vector.gguf}: read back with steering-core's GGUF reader, it holds exactly one unit of α at the
 * best trial's layer (so llama.cpp's {@code --control-vector-scaled FILE α} adds α times it, the vector the search
 * added), and the stated scale is α; DAC and layer 0 write no file and remove a stale one.
 */
class ControlVectorExportTest {
    private static final int D_MODEL = 48;

    @TempDir
    Path dir;

    private static SteeringVector vector(int layer) {
        SplittableRandom r = new SplittableRandom(layer);
        float[] v = new float[D_MODEL];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return SteeringVector.of(layer, v, Map.of(SteeringVector.KEY_MEAN_RESIDUAL_NORM, "7.25"));
    }

    @Test
    void caaWritesOneUnitOfAlphaAtTheBestLayerAndStatesAlphaAsTheScale() {
        SteeringVector v = vector(2);
        ControlVectorExport e = ControlVectorExport.write(dir, new TrialConfig(SteerMethod.CAA, 2, -1.75, 0.0, Double.NaN),
                SteerPositions.ALL, v, "llama");

        ControlVectorGguf.Contents c = ControlVectorGguf.read(dir.resolve(ControlVectorExport.FILE));
        assertEquals(List.of(2), List.copyOf(c.directions().keySet()), "direction.<best layer>, nothing else");
        float[] unit = AlphaUnits.MEAN_RESIDUAL_NORM.direction(v);
        assertArrayEquals(unit, c.directions().get(2), "one unit of alpha, bit for bit");
        double norm = 0;
        for (float x : c.directions().get(2)) {
            norm += (double) x * x;
        }
        assertEquals(7.25, Math.sqrt(norm), 1e-5, "a unit of alpha is the mean residual norm long");
        assertEquals("llama", c.modelHint());
        assertEquals(ControlVectorExport.FILE, e.file());
        assertEquals(2, e.layer());
        assertEquals(-1.75, e.scale());
        assertEquals("--control-vector-scaled best_control_vector.gguf -1.75", e.llamaCppArgs());
        assertTrue(e.note().contains("as this study did"), e.note());

        ControlVectorExport prefix = ControlVectorExport.write(dir, new TrialConfig(SteerMethod.CAA, 2, 0.0, 0.0,
                Double.NaN), SteerPositions.FROM_LAST_PROMPT_TOKEN, v, "llama");
        assertEquals(0.0, prefix.scale());
        assertTrue(prefix.note().contains("--steer-positions all") && prefix.note().contains("unsteered"), prefix.note());
    }

    @Test
    void dacAndLayerZeroHaveNoControlVectorAndLeaveNoStaleFile() throws Exception {
        Path file = dir.resolve(ControlVectorExport.FILE);
        ControlVectorExport.write(dir, new TrialConfig(SteerMethod.CAA, 1, 1.0, 0.0, Double.NaN), SteerPositions.ALL,
                vector(1), "qwen2");
        assertTrue(Files.isRegularFile(file));
        ControlVectorExport dac = ControlVectorExport.write(dir, new TrialConfig(SteerMethod.DAC, 1, 1.0, 0.0, 0.9),
                SteerPositions.ALL, vector(1), "qwen2");
        assertFalse(Files.exists(file), "a file from an earlier run would not be this run's best");
        assertNull(dac.file());
        assertNull(dac.scale());
        assertNull(dac.llamaCppArgs());
        assertTrue(dac.note().contains("DAC"), dac.note());
        ControlVectorExport zero = ControlVectorExport.write(dir, new TrialConfig(SteerMethod.CAA, 0, 1.0, 0.0,
                Double.NaN), SteerPositions.ALL, vector(0), "qwen2");
        assertNull(zero.file());
        assertTrue(zero.note().contains("block 0"), zero.note());
        assertFalse(Files.exists(file));
    }
}
