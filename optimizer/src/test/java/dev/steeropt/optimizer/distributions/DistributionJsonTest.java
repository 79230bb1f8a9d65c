package dev.steeropt.optimizer.distributions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DistributionJsonTest {

    /** The exact strings Optuna 5.0 wrote into distribution_json (optuna-reference.md §4.1 and the fixture DBs). */
    @Test
    void writesOptunaBytes() {
        assertEquals("{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": null, \"low\": -5.0, \"high\": 5.0, \"log\": false}}",
                DistributionJson.toJson(FloatDistribution.of(-5, 5)));
        assertEquals("{\"name\": \"IntDistribution\", \"attributes\": {\"log\": false, \"step\": 1, \"low\": 0, \"high\": 23}}",
                DistributionJson.toJson(IntDistribution.of(0, 23)));
        assertEquals("{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": [\"CAA\", \"DAC\"]}}",
                DistributionJson.toJson(CategoricalDistribution.of("CAA", "DAC")));
        assertEquals("{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": null, \"low\": 0.0001, \"high\": 0.1, \"log\": true}}",
                DistributionJson.toJson(FloatDistribution.log(1e-4, 0.1)));
    }

    @Test
    void roundTripsEveryKind() {
        List<Distribution> all = List.of(FloatDistribution.of(-4, 4), FloatDistribution.log(1e-5, 1),
                FloatDistribution.stepped(0, 1, 0.1), IntDistribution.of(-3, 9), new IntDistribution(1, 64, true, 1),
                new IntDistribution(0, 10, false, 2), CategoricalDistribution.of("a", 1L, 2.5, true, null));
        for (Distribution d : all) {
            assertEquals(d, DistributionJson.fromJson(DistributionJson.toJson(d)), DistributionJson.toJson(d));
        }
    }

    @Test
    void readsLegacyAndAbbreviatedForms() {
        assertEquals(FloatDistribution.log(1e-3, 1),
                DistributionJson.fromJson("{\"name\": \"LogUniformDistribution\", \"attributes\": {\"low\": 0.001, \"high\": 1.0}}"));
        assertEquals(FloatDistribution.stepped(0, 1, 0.25),
                DistributionJson.fromJson("{\"name\": \"DiscreteUniformDistribution\", \"attributes\": {\"low\": 0.0, \"high\": 1.0, \"q\": 0.25}}"));
        assertEquals(IntDistribution.of(0, 23), DistributionJson.fromJson("{\"type\": \"int\", \"low\": 0, \"high\": 23}"));
        assertThrows(IllegalArgumentException.class, () -> DistributionJson.fromJson("{\"name\": \"Gaussian\", \"attributes\": {}}"));
    }
}
