package dev.steeropt.studies.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.steering.SteeringMethod;
import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import dev.steeropt.optimizer.samplers.RandomSampler;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.Trial;
import dev.steeropt.studies.spec.SearchSpaceSpec;
import dev.steeropt.studies.spec.SteerMethod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamMappingTest {
    private static final SteeringVector V = SteeringVector.of(2, new float[] {3f, 4f},
            Map.of(SteeringVector.KEY_MEAN_RESIDUAL_NORM, "10.0"));

    @Test
    void suggestsSnakeCaseParamsWithTheSpacesDistributionsAndTopPOnlyForDac() {
        Study study = Study.builder().direction(StudyDirection.MAXIMIZE).sampler(new RandomSampler(3)).create();
        ParamMapping mapping = new ParamMapping(SearchSpaceSpec.defaults(6));
        int dac = 0;
        for (int i = 0; i < 40; i++) {
            Trial t = study.ask();
            TrialConfig c = mapping.suggest(t);
            FrozenTrial f = t.snapshot();
            assertEquals(c.toParams(), f.params(), "the stored params are exactly the config's");
            assertEquals(new IntDistribution(0, 5, false, 1), f.distributions().get("layer"));
            assertEquals(FloatDistribution.of(-4, 4), f.distributions().get("alpha"));
            assertEquals(new CategoricalDistribution(List.of("CAA", "DAC")), f.distributions().get("method"));
            assertEquals(FloatDistribution.of(0, 1), f.distributions().get("temperature"));
            assertEquals((c.method() == SteerMethod.DAC), f.params().containsKey("top_p"), f.params().toString());
            assertEquals(c, ParamMapping.fromParams(f.params()), "params map back to the same config");
            dac += (c.method() == SteerMethod.DAC) ? 1 : 0;
            study.tell(t, 0.5);
        }
        assertTrue(dac > 5 && dac < 35, "both methods are sampled: " + dac + " DAC of 40");
    }

    @Test
    void caaKeepsTheSignedAlphaFromTheLastPromptToken() {
        SteeringMethod m = ParamMapping.toMethod(new TrialConfig(SteerMethod.CAA, 2, -1.5, 0, Double.NaN), V);
        SteeringMethod.Caa caa = assertInstanceOf(SteeringMethod.Caa.class, m);
        assertEquals(-1.5, caa.alpha());
        assertEquals(SteerPositions.FROM_LAST_PROMPT_TOKEN, caa.positions(), "keeps prefilled prompt prefixes valid");
        assertEquals(V, caa.vector());
    }

    @Test
    void caaTakesTheStudysPositionsAndDacKeepsItsOwn() {
        SteeringMethod.Caa caa = assertInstanceOf(SteeringMethod.Caa.class,
                ParamMapping.toMethod(new TrialConfig(SteerMethod.CAA, 2, 1.0, 0, Double.NaN), V, SteerPositions.ALL));
        assertEquals(SteerPositions.ALL, caa.positions());
        assertInstanceOf(SteeringMethod.Dac.class,
                ParamMapping.toMethod(new TrialConfig(SteerMethod.DAC, 2, 1.0, 0, 0.9), V, SteerPositions.ALL),
                "DAC steers from the last prompt token whatever the study's positions");
    }

    @Test
    void dacWithNegativeAlphaSteersAlongTheNegatedVectorWithItsMagnitude() {
        SteeringMethod.Dac pos = assertInstanceOf(SteeringMethod.Dac.class,
                ParamMapping.toMethod(new TrialConfig(SteerMethod.DAC, 2, 2.5, 0.3, 0.8), V));
        assertEquals(2.5, pos.alphaMax());
        assertEquals(0.8, pos.topP(), "the trial's top_p reaches DAC");
        assertArrayEquals(new float[] {3f, 4f}, pos.vector().values());
        SteeringMethod.Dac neg = assertInstanceOf(SteeringMethod.Dac.class,
                ParamMapping.toMethod(new TrialConfig(SteerMethod.DAC, 2, -2.5, 0.3, 0.6), V));
        assertEquals(2.5, neg.alphaMax());
        assertArrayEquals(new float[] {-3f, -4f}, neg.vector().values());
        assertEquals(10.0, neg.vector().meanResidualNorm().getAsDouble(), "the unit of alpha is kept");
    }

    @Test
    void zeroAlphaIsTheUnsteeredBaselineWhateverTheMethod() {
        assertNull(ParamMapping.toMethod(new TrialConfig(SteerMethod.CAA, 2, 0.0, 0, Double.NaN), V));
        assertNull(ParamMapping.toMethod(new TrialConfig(SteerMethod.DAC, 2, 0.0, 0, 0.9), V));
        assertTrue(new TrialConfig(SteerMethod.DAC, 2, 0.0, 0, 0.9).unsteered());
        assertFalse(new TrialConfig(SteerMethod.DAC, 2, 1e-9, 0, 0.9).unsteered());
    }

    @Test
    void mismatchedOrMissingParamsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> ParamMapping.toMethod(new TrialConfig(SteerMethod.CAA, 1, 1.0, 0, Double.NaN), V));
        assertThrows(IllegalArgumentException.class, () -> new TrialConfig(SteerMethod.CAA, 1, 1.0, 0, 0.5),
                "top_p is DAC's only");
        assertThrows(IllegalArgumentException.class, () -> new TrialConfig(SteerMethod.DAC, 1, 1.0, 0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ParamMapping.fromParams(Map.of("layer", 1, "alpha", 1.0,
                "method", "DAC", "temperature", 0.0)), "a DAC trial without top_p");
    }
}
