package dev.steeropt.optimizer.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Properties of both evaluators that hold whatever Optuna's exact numbers (those are checked against Optuna itself
 * by {@code ImportanceOptunaParityTest} in the studies module).
 */
class ImportanceEvaluatorsTest {
    private static final FloatDistribution A = FloatDistribution.of(-1, 1);
    private static final FloatDistribution B = new FloatDistribution(1e-4, 1, true, null);
    private static final IntDistribution C = IntDistribution.of(0, 9);
    private static final CategoricalDistribution D = CategoricalDistribution.of("p", "q", "r");

    /** value = f(a, b, c, d) for random points; a always, d only if {@code withD}. */
    private static List<FrozenTrial> trials(int n, long seed, java.util.function.ToDoubleFunction<double[]> f) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<FrozenTrial> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] v = {rng.nextDouble(-1, 1), Math.exp(rng.nextDouble(Math.log(1e-4), 0)), rng.nextInt(10),
                    rng.nextInt(3)};
            Map<String, Object> params = new LinkedHashMap<>();
            Map<String, Distribution> dists = new LinkedHashMap<>();
            params.put("a", v[0]);
            dists.put("a", A);
            params.put("b", v[1]);
            dists.put("b", B);
            params.put("c", (long) v[2]);
            dists.put("c", C);
            params.put("d", D.choices().get((int) v[3]));
            dists.put("d", D);
            out.add(new FrozenTrial(i, i, TrialState.COMPLETE, List.of(f.applyAsDouble(v)), null, null, params, dists,
                    Map.of(), Map.of(), new java.util.TreeMap<>()));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(ImportanceMethod.class)
    void theParameterThatDrivesTheObjectiveRanksFirst(ImportanceMethod method) {
        List<FrozenTrial> ts = trials(120, 1, v -> 5 * v[0] * v[0] + 0.3 * v[3]);
        Map<String, Double> imp = ParamImportances.compute(method.create(0), ts, StudyDirection.MINIMIZE, true);
        assertEquals("a", imp.keySet().iterator().next(), imp.toString());
        assertEquals(1.0, imp.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
        assertTrue(imp.get("a") > 0.5, imp.toString());
    }

    @Test
    void maximisingLooksAtTheOtherTailInPedAnova() {
        // b matters only for the worst values: minimise sees a, maximise sees b
        List<FrozenTrial> ts = trials(200, 2, v -> v[0] < 0 ? v[0] : 10 * Math.log10(v[1]) * v[0]);
        var ped = new PedAnovaImportanceEvaluator();
        Map<String, Double> min = ped.evaluate(ts, StudyDirection.MINIMIZE);
        Map<String, Double> max = ped.evaluate(ts, StudyDirection.MAXIMIZE);
        assertTrue(!min.equals(max), "direction must change the top quantile");
    }

    @Test
    void pedAnovaNormalisesEqualSharesWhenAllRawImportancesAreZero() {
        List<FrozenTrial> one = trials(1, 3, v -> v[0]);
        Map<String, Double> imp = ParamImportances.compute(new PedAnovaImportanceEvaluator(), one,
                StudyDirection.MINIMIZE, true);
        assertEquals(4, imp.size());
        imp.values().forEach(v -> assertEquals(0.25, v, 0.0));
    }

    @Test
    void pedAnovaTopQuantileKeepsTiesAtTheCutoff() {
        List<FrozenTrial> ts = trials(20, 4, v -> Math.floor(v[2] / 5));   // values 0 or 1, ten each
        assertEquals(ts.stream().filter(t -> t.value() == 0.0).count(),
                PedAnovaImportanceEvaluator.topQuantile(ts, 0.1, true).size());
    }

    @Test
    void pedAnovaRejectsQuantilesOutOfOrder() {
        assertThrows(IllegalArgumentException.class, () -> new PedAnovaImportanceEvaluator(0.5, 0.2, true));
    }

    @Test
    void fanovaGivesAConstantObjectiveAClearError() {
        List<FrozenTrial> ts = trials(30, 5, v -> 1.0);
        assertThrows(IllegalStateException.class, () -> ImportanceMethod.FANOVA.create(0)
                .evaluate(ts, StudyDirection.MINIMIZE));
    }

    @Test
    void fanovaOfAnAdditiveFunctionSplitsTheVarianceByTerm() {
        // f = 3a + 1.0 * [d == r]: a uniform on [-1, 1] has variance 3 (times 3^2 / 3), d's indicator 2/9
        List<FrozenTrial> ts = trials(300, 6, v -> 3 * v[0] + (v[3] == 2 ? 1.0 : 0.0));
        Map<String, Double> imp = ImportanceMethod.FANOVA.create(0).evaluate(ts, StudyDirection.MINIMIZE);
        double expectedA = 3.0 / (3.0 + 2.0 / 9.0);
        assertEquals(expectedA, imp.get("a"), 0.05, imp.toString());
        assertEquals(1 - expectedA, imp.get("d"), 0.05, imp.toString());
        assertTrue(imp.get("b") < 0.02 && imp.get("c") < 0.02, imp.toString());
    }

    @Test
    void fanovaIsDeterministicForASeedAndUsesIt() {
        List<FrozenTrial> ts = trials(80, 7, v -> v[0] + v[2] / 10.0);
        var e0 = FanovaImportanceEvaluator.builder().seed(0).build();
        var e1 = FanovaImportanceEvaluator.builder().seed(1).build();
        assertEquals(e0.evaluate(ts, StudyDirection.MINIMIZE), e0.evaluate(ts, StudyDirection.MINIMIZE));
        assertTrue(!e0.evaluate(ts, StudyDirection.MINIMIZE).equals(e1.evaluate(ts, StudyDirection.MINIMIZE)));
    }

    @Test
    void fanovaIgnoresParametersNotInEveryTrial() {
        List<FrozenTrial> ts = new ArrayList<>(trials(40, 8, v -> v[0]));
        FrozenTrial t = ts.get(0);
        Map<String, Object> params = new LinkedHashMap<>(t.params());
        Map<String, Distribution> dists = new LinkedHashMap<>(t.distributions());
        params.remove("b");
        dists.remove("b");
        ts.set(0, new FrozenTrial(0, 0, TrialState.COMPLETE, t.values(), null, null, params, dists, Map.of(),
                Map.of(), new java.util.TreeMap<>()));
        assertEquals(java.util.Set.of("a", "c", "d"),
                ImportanceMethod.FANOVA.create(0).evaluate(ts, StudyDirection.MINIMIZE).keySet());
        // PED-ANOVA keeps conditional parameters (their own regime)
        assertTrue(new PedAnovaImportanceEvaluator().evaluate(ts, StudyDirection.MINIMIZE).containsKey("b"));
    }
}
