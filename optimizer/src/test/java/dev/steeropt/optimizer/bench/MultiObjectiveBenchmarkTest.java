package dev.steeropt.optimizer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pieces of the two-objective benchmark; no timing is asserted. */
class MultiObjectiveBenchmarkTest {
    /** Catches: dominated points counted, points outside the box counted, or the sweep using the wrong edge. */
    @Test
    void hypervolumeOfKnownPointSets() {
        double[] ref = {4, 4};
        // (1,3) and (3,1) with ref (4,4): 3x1 + 1x3 − overlap... as a staircase: (4−1)(4−3) + (4−3)(3−1) = 3 + 2 = 5
        assertEquals(5.0, MultiObjectiveBenchmark.hypervolume(List.of(new double[] {1, 3}, new double[] {3, 1}), ref),
                1e-12);
        // a dominated point (3,3) and one outside the box (5, 0) add nothing
        assertEquals(5.0, MultiObjectiveBenchmark.hypervolume(List.of(new double[] {3, 3}, new double[] {1, 3},
                new double[] {5, 0}, new double[] {3, 1}), ref), 1e-12);
        assertEquals(0.0, MultiObjectiveBenchmark.hypervolume(List.of(new double[] {4, 1}), ref));
    }

    /** The true ZDT1 front f2 = 1 − sqrt(f1) reaches 1.1 x 11 − 1/3 against (1.1, 11) (up to the sampling of the curve). */
    @Test
    void zdt1FrontAndReferencePoint() {
        double[] x = new double[MultiObjectiveBenchmark.Problems.ZDT1_DIM];
        x[0] = 0.25;
        assertEquals(0.5, MultiObjectiveBenchmark.Problems.zdt1(x)[1], 1e-12, "g = 1 on the front");
        java.util.ArrayList<double[]> front = new java.util.ArrayList<>();
        for (int i = 0; i <= 20000; i++) {
            double f1 = i / 20000.0;
            front.add(new double[] {f1, 1 - Math.sqrt(f1)});
        }
        assertEquals(12.1 - 1.0 / 3, MultiObjectiveBenchmark.hypervolume(front,
                MultiObjectiveBenchmark.Problems.reference("zdt1")), 1e-3);
    }

    /** steer_mo trades tokens for accuracy: more α at the right layer costs tokens and buys accuracy. */
    @Test
    void steerMoIsATradeOff() {
        double[] lo = MultiObjectiveBenchmark.Problems.steerMo(13, -2, false, 0);
        double[] hi = MultiObjectiveBenchmark.Problems.steerMo(13, 3, false, 0);
        assertTrue(hi[1] > lo[1] && -hi[0] > -lo[0], "higher alpha: more tokens and more accuracy");
        double[] far = MultiObjectiveBenchmark.Problems.steerMo(0, 3, false, 0);
        assertTrue(-far[0] < -hi[0], "the wrong layer buys less accuracy");
    }

    @Test
    void runProducesOneRowPerSamplerAndProblemWithEverySeed() {
        ObjectNode r = MultiObjectiveBenchmark.run(new MultiObjectiveBenchmark.Options(List.of("nsga2", "random"),
                List.of("steer_mo"), List.of(0, 1), 12));
        assertEquals(2, r.get("results").size());
        for (JsonNode row : r.get("results")) {
            assertEquals(2, row.get("hypervolume_per_seed").size());
            assertTrue(row.get("hypervolume_per_seed").get(0).asDouble() > 0, row.toString());
        }
        // seeded: the same seed gives the same run
        assertEquals(MultiObjectiveBenchmark.runOnce("tpe_default", "zdt1", 3, 15),
                MultiObjectiveBenchmark.runOnce("tpe_default", "zdt1", 3, 15));
        assertThrows(IllegalArgumentException.class, () -> new MultiObjectiveBenchmark.Options(List.of("cmaes"),
                List.of("zdt1"), List.of(0), 10));
    }
}
