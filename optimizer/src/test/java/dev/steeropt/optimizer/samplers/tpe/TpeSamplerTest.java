package dev.steeropt.optimizer.samplers.tpe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.pruners.NopPruner;
import dev.steeropt.optimizer.samplers.Sampler;
import dev.steeropt.optimizer.samplers.SamplerContract;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.Trial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Our default TPE: the sampler contract, the constant liar and the {@code group} decomposition. */
class TpeSamplerTest implements SamplerContract {

    @Override
    public Sampler newSampler(long seed) {
        return TpeSampler.builder().seed(seed).build();
    }

    private static Map<String, Distribution> xy() {
        Map<String, Distribution> space = new TreeMap<>();
        space.put("x", FloatDistribution.of(0, 1));
        space.put("y", FloatDistribution.of(-1, 1));
        return space;
    }

    /** A study with {@code n} COMPLETE trials on x, y (value (x - 0.3)^2 + y^2), sampled by {@code sampler}. */
    private static Study studyWithTrials(TpeSampler sampler, int n) {
        Study study = Study.builder().sampler(sampler).pruner(new NopPruner()).create();
        for (int i = 0; i < n; i++) {
            Trial t = study.ask();
            double x = t.suggestFloat("x", 0, 1);
            double y = t.suggestFloat("y", -1, 1);
            study.tell(t, (x - 0.3) * (x - 0.3) + y * y);
        }
        return study;
    }

    private static List<Integer> numbers(List<FrozenTrial> trials) {
        List<Integer> out = new ArrayList<>();
        for (FrozenTrial t : trials) {
            out.add(t.number());
        }
        return out;
    }

    @Test
    void constantLiarShowsRunningTrialsRelativeParamsToOtherAsksAsAbove() throws Exception {
        TpeSampler sampler = TpeSampler.builder().constantLiar(true).nStartupTrials(3).seed(5).build();
        Study study = studyWithTrials(sampler, 8);
        Trial running = study.ask();
        double x = running.suggestFloat("x", 0, 1); // triggers the joint sample of {x, y}; y is not suggested yet
        FrozenTrial snap = running.snapshot();
        assertFalse(snap.params().containsKey("y"));
        Object chunk = snap.systemAttrs().get("tpe:relative_params:0");
        assertTrue(chunk instanceof String, "relative params were not written: " + snap.systemAttrs());
        JsonNode written = new ObjectMapper().readTree((String) chunk);
        assertEquals(x, written.get("x").asDouble());
        double y = written.get("y").asDouble();

        Trial other = study.ask();
        TpeSampler.Fit fit = sampler.fitFor(study, other.snapshot(), xy());
        List<Integer> above = numbers(fit.above());
        assertTrue(above.contains(running.number()), "the RUNNING trial must be 'above': " + above);
        assertFalse(numbers(fit.below()).contains(running.number()));
        assertFalse(above.contains(other.number()), "a trial never learns from itself");
        int col = above.indexOf(running.number());
        // observations are [param][trial] in sorted name order: x, y
        assertEquals(x, fit.aboveObs()[0][col]);
        assertEquals(y, fit.aboveObs()[1][col], "the liar row must carry the not-yet-suggested relative y");
        // gamma counts finished trials only: 8 finished -> 1 below (ceil(0.1 * 8))
        assertEquals(1, fit.below().size());
        assertEquals(8, fit.below().size() + fit.above().size() - 1);
    }

    @Test
    void withoutConstantLiarRunningTrialsAreNotUsed() {
        TpeSampler sampler = TpeSampler.builder().constantLiar(false).nStartupTrials(3).seed(5).build();
        Study study = studyWithTrials(sampler, 8);
        Trial running = study.ask();
        running.suggestFloat("x", 0, 1);
        assertFalse(running.snapshot().systemAttrs().containsKey("tpe:relative_params:0"));
        Trial other = study.ask();
        TpeSampler.Fit fit = sampler.fitFor(study, other.snapshot(), xy());
        assertFalse(numbers(fit.above()).contains(running.number()));
        assertEquals(8, fit.below().size() + fit.above().size());
    }

    private static void addComplete(Study study, Map<String, Object> params, Map<String, Distribution> dists,
            double value) {
        study.store().createTrial(study.studyId(), new FrozenTrial(-1, -1, TrialState.COMPLETE, List.of(value), null,
                null, params, dists, Map.of(), Map.of(), new TreeMap<>()));
    }

    @Test
    void groupDecomposesTheSpaceIntoParamsThatAlwaysOccurTogether() {
        TpeSampler sampler = TpeSampler.builder().group(true).seed(1).build();
        Study study = Study.builder().sampler(sampler).pruner(new NopPruner()).create();
        FloatDistribution u = FloatDistribution.of(0, 1);
        Map<String, Distribution> ab = new LinkedHashMap<>(Map.of("a", u, "b", u));
        Map<String, Distribution> abcd = new LinkedHashMap<>(Map.of("a", u, "b", u, "c", u, "d", u));
        Map<String, Distribution> cd = new LinkedHashMap<>(Map.of("c", u, "d", u));
        addComplete(study, Map.of("a", 0.1, "b", 0.2), ab, 1.0);
        addComplete(study, Map.of("a", 0.3, "b", 0.4, "c", 0.5, "d", 0.6), abcd, 2.0);
        addComplete(study, Map.of("c", 0.7, "d", 0.8), cd, 3.0);

        Map<String, Distribution> space = sampler.inferRelativeSearchSpace(study, study.ask().snapshot());
        assertEquals(Set.of("a", "b", "c", "d"), space.keySet(), "group mode samples the union of the params");
        List<Set<String>> groups = new ArrayList<>();
        for (Map<String, Distribution> g : sampler.groups(study, space)) {
            groups.add(g.keySet());
        }
        assertEquals(List.of(Set.of("a", "b"), Set.of("c", "d")), groups);

        // A trial with a new param splits the groups further: {a} never occurs without b until now.
        addComplete(study, Map.of("a", 0.9), new LinkedHashMap<>(Map.of("a", u)), 4.0);
        groups.clear();
        for (Map<String, Distribution> g : sampler.groups(study, space)) {
            groups.add(g.keySet());
        }
        assertEquals(List.of(Set.of("a"), Set.of("b"), Set.of("c", "d")), groups);
    }

    @Test
    void groupModeSamplesAConditionalSpaceInsideItsBounds() {
        TpeSampler sampler = TpeSampler.builder().group(true).nStartupTrials(5).seed(3).build();
        Study study = Study.builder().sampler(sampler).pruner(new NopPruner()).create();
        CategoricalDistribution branch = CategoricalDistribution.of("left", "right");
        for (int i = 0; i < 40; i++) {
            Trial t = study.ask();
            String side = (String) t.suggest("branch", branch);
            double v;
            if (side.equals("left")) {
                double a = t.suggestFloat("a", 0, 1);
                double b = t.suggestFloat("b", 0, 2);
                assertTrue(a >= 0 && a <= 1 && b >= 0 && b <= 2, "a=" + a + " b=" + b);
                v = (a - 0.2) * (a - 0.2) + (b - 1) * (b - 1);
            } else {
                double c = t.suggestFloat("c", -1, 0);
                assertTrue(c >= -1 && c <= 0, "c=" + c);
                v = 0.5 + c * c;
            }
            study.tell(t, v);
        }
        assertTrue(study.bestValue() < 0.1, "TPE on the left branch should get below 0.1, got " + study.bestValue());
    }
}
