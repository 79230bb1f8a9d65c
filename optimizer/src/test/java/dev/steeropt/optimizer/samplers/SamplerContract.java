package dev.steeropt.optimizer.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import dev.steeropt.optimizer.pruners.NopPruner;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.Trial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Sampler} must do (reference §2, style guide §2.7), run against each implementation: suggestions
 * stay inside their distributions (log, step and int grids included), the same seed gives the same suggestions, and
 * FAIL trials do not change what is suggested. Implementations give a seeded sampler over {@link #space()}.
 */
public interface SamplerContract {

    /** A sampler seeded with {@code seed}; it will be asked for the params of {@link #space()}. */
    Sampler newSampler(long seed);

    /** Directions of the contract's studies (one minimised objective unless the sampler needs more). */
    default List<StudyDirection> directions() {
        return List.of(StudyDirection.MINIMIZE);
    }

    /** Trials per contract run: enough to leave any start-up phase. */
    default int nTrials() {
        return 30;
    }

    /** The space every contract test suggests, in this order: float, log float, stepped float, int, stepped int, log int, categorical. */
    static Map<String, Distribution> space() {
        Map<String, Distribution> m = new LinkedHashMap<>();
        m.put("x", FloatDistribution.of(-2.0, 3.0));
        m.put("lr", FloatDistribution.log(1e-4, 1e-1));
        m.put("frac", FloatDistribution.stepped(0.0, 1.0, 0.25));
        m.put("layer", IntDistribution.of(-3, 7));
        m.put("width", new IntDistribution(0, 10, false, 2));
        m.put("batch", new IntDistribution(1, 100, true, 1));
        m.put("method", CategoricalDistribution.of("CAA", "DAC", "none"));
        return m;
    }

    /** A deterministic objective of the suggested params (one value per direction). */
    private static double[] objective(Map<String, Object> p, int nObjectives) {
        double x = (Double) p.get("x");
        double lr = (Double) p.get("lr");
        double frac = (Double) p.get("frac");
        double layer = ((Long) p.get("layer")).doubleValue();
        double width = ((Long) p.get("width")).doubleValue();
        double batch = ((Long) p.get("batch")).doubleValue();
        double method = "DAC".equals(p.get("method")) ? 0 : 0.5;
        double f = (x - 0.5) * (x - 0.5) + Math.abs(Math.log10(lr) + 2.5) + (frac - 0.5) * (frac - 0.5)
                + Math.abs(layer - 2) / 10 + Math.abs(width - 6) / 10 + Math.abs(Math.log(batch) - 2) / 5 + method;
        if (nObjectives == 1) {
            return new double[] {f};
        }
        return new double[] {f, (x + 1) * (x + 1) + Math.abs(layer + 1) / 10};
    }

    /**
     * Runs {@link #nTrials()} trials with a fresh sampler; after each COMPLETE trial, {@code failEvery > 0} inserts a
     * FAIL trial with extreme params straight into the store (so the sampler is not asked for it). Returns the params
     * of the sampled trials in order.
     */
    private List<Map<String, Object>> run(long seed, int failEvery) {
        Study study = Study.builder().sampler(newSampler(seed)).pruner(new NopPruner()).directions(directions())
                .create();
        List<Map<String, Object>> out = new ArrayList<>();
        int n = directions().size();
        for (int i = 0; i < nTrials(); i++) {
            Trial t = study.ask();
            for (Map.Entry<String, Distribution> e : space().entrySet()) {
                t.suggest(e.getKey(), e.getValue());
            }
            Map<String, Object> params = t.params();
            out.add(params);
            study.tell(t, objective(params, n));
            if (failEvery > 0 && i % failEvery == 0) {
                Map<String, Object> extreme = new LinkedHashMap<>();
                extreme.put("x", 3.0);
                extreme.put("lr", 1e-1);
                extreme.put("frac", 1.0);
                extreme.put("layer", 7L);
                extreme.put("width", 10L);
                extreme.put("batch", 100L);
                extreme.put("method", "none");
                study.store().createTrial(study.studyId(), new FrozenTrial(-1, -1, TrialState.FAIL, null, null, null,
                        extreme, space(), Map.of(), Map.of(), new java.util.TreeMap<>()));
            }
        }
        return out;
    }

    @Test
    default void suggestionsStayInsideTheirDistributions() {
        for (long seed = 0; seed < 3; seed++) {
            for (Map<String, Object> params : run(seed, 0)) {
                for (Map.Entry<String, Distribution> e : space().entrySet()) {
                    Object v = params.get(e.getKey());
                    double internal = e.getValue().toInternal(v);
                    assertTrue(e.getValue().contains(internal), e.getKey() + " = " + v + " is outside " + e.getValue()
                            + " (seed " + seed + ")");
                }
                assertTrue((Double) params.get("lr") > 0, "log param must be positive: " + params);
                assertTrue((Long) params.get("batch") >= 1, "log int param must be >= 1: " + params);
                assertEquals(0, ((Long) params.get("width")) % 2, "stepped int off its grid: " + params);
                double frac = (Double) params.get("frac");
                assertEquals(0.0, Math.IEEEremainder(frac, 0.25), 1e-12, "stepped float off its grid: " + frac);
            }
        }
    }

    @Test
    default void sameSeedGivesSameSuggestions() {
        assertEquals(run(7, 0), run(7, 0));
    }

    @Test
    default void failedTrialsAreIgnored() {
        assertEquals(run(11, 0), run(11, 2), "FAIL trials changed what the sampler suggests");
    }
}
