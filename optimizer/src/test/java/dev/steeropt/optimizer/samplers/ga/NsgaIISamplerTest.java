package dev.steeropt.optimizer.samplers.ga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import dev.steeropt.optimizer.pruners.NopPruner;
import dev.steeropt.optimizer.samplers.RandomSampler;
import dev.steeropt.optimizer.samplers.Sampler;
import dev.steeropt.optimizer.samplers.SamplerContract;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.Trial;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link NsgaIISampler}: the sampler contract (two objectives), generation bookkeeping, gene encoding, and a ZDT1 run
 * where NSGA-II's front beats random search's front (hypervolume) with the same budget.
 */
class NsgaIISamplerTest implements SamplerContract {
    private static final List<StudyDirection> MIN2 = List.of(StudyDirection.MINIMIZE, StudyDirection.MINIMIZE);

    @Override
    public Sampler newSampler(long seed) {
        return NsgaIISampler.builder().populationSize(8).seed(seed).build();
    }

    @Override
    public List<StudyDirection> directions() {
        return MIN2;
    }

    /** ZDT1 with 6 variables: f1 = x0, f2 = g (1 - sqrt(x0 / g)), g = 1 + 9 mean(x1..x5); front at g = 1. */
    private static double[] zdt1(Trial t) {
        double[] x = new double[6];
        for (int i = 0; i < 6; i++) {
            x[i] = t.suggestFloat("x" + i, 0, 1);
        }
        double s = 0;
        for (int i = 1; i < 6; i++) {
            s += x[i];
        }
        double g = 1 + 9 * s / 5;
        return new double[] {x[0], g * (1 - Math.sqrt(x[0] / g))};
    }

    private static Study run(Sampler sampler, int nTrials) {
        Study study = Study.builder().sampler(sampler).pruner(new NopPruner()).directions(MIN2).create();
        for (int i = 0; i < nTrials; i++) {
            Trial t = study.ask();
            study.tell(t, zdt1(t));
        }
        return study;
    }

    /** Hypervolume of a two-objective minimisation front against the reference point (r1, r2). */
    static double hypervolume(List<FrozenTrial> front, double r1, double r2) {
        List<double[]> pts = new ArrayList<>();
        for (FrozenTrial t : front) {
            double f1 = t.values().get(0);
            double f2 = t.values().get(1);
            if (f1 < r1 && f2 < r2) {
                pts.add(new double[] {f1, f2});
            }
        }
        pts.sort(Comparator.comparingDouble(p -> p[0]));
        double hv = 0;
        double prevF2 = r2;
        for (double[] p : pts) {
            if (p[1] < prevF2) {
                hv += (r1 - p[0]) * (prevF2 - p[1]);
                prevF2 = p[1];
            }
        }
        return hv;
    }

    /**
     * ZDT1, 400 trials each, reference point (1.1, 2): the true front's hypervolume is 1 + 2/3 + 0.2 = 1.867; random
     * search reaches about 0.4-0.6 with this budget.
     */
    @Test
    void frontImprovesOverRandomSearchWithTheSameBudget() {
        for (long seed = 0; seed < 3; seed++) {
            Study ga = run(NsgaIISampler.builder().populationSize(20).seed(seed).build(), 400);
            Study rs = run(new RandomSampler(seed), 400);
            double hvGa = hypervolume(ga.bestTrials(), 1.1, 2.0);
            double hvRs = hypervolume(rs.bestTrials(), 1.1, 2.0);
            assertTrue(hvGa > 1.7 && hvGa > hvRs + 0.5, "seed " + seed + ": NSGA-II hypervolume " + hvGa
                    + " vs random " + hvRs);
        }
    }

    @Test
    void uniformCrossoverAlsoBeatsRandomSearch() {
        Study ga = run(NsgaIISampler.builder().crossover(NsgaIISampler.Crossover.UNIFORM).populationSize(20).seed(0)
                .build(), 400);
        Study rs = run(new RandomSampler(0), 400);
        double hvGa = hypervolume(ga.bestTrials(), 1.1, 2.0);
        double hvRs = hypervolume(rs.bestTrials(), 1.1, 2.0);
        assertTrue(hvGa > hvRs + 0.2, "NSGA-II (uniform) hypervolume " + hvGa + " vs random " + hvRs);
    }

    @Test
    void bestTrialsAreExactlyTheNonDominatedTrials() {
        Study study = run(NsgaIISampler.builder().populationSize(10).seed(4).build(), 60);
        List<FrozenTrial> front = study.bestTrials();
        assertFalse(front.isEmpty());
        for (FrozenTrial t : study.trials()) {
            boolean dominated = false;
            for (FrozenTrial o : study.trials()) {
                dominated |= Study.dominates(o.values(), t.values(), MIN2);
            }
            assertEquals(!dominated, front.contains(t), "trial " + t.number() + " " + t.values());
        }
    }

    @Test
    void generationsAndParentsAreRecordedInSystemAttrs() {
        Study study = run(NsgaIISampler.builder().populationSize(10).seed(1).build(), 35);
        List<FrozenTrial> trials = study.trials();
        for (FrozenTrial t : trials) {
            int expected = t.number() / 10;
            assertEquals(expected, ((Number) t.systemAttrs().get(NsgaIISampler.GENERATION_KEY)).intValue(),
                    "generation of trial " + t.number());
            assertEquals(expected > 0, t.systemAttrs().containsKey(NsgaIISampler.PARENTS_KEY),
                    "parents of trial " + t.number());
        }
        Object population = study.systemAttrs().get(NsgaIISampler.POPULATION_KEY + 1);
        assertTrue(population instanceof List<?> l && l.size() == 10, "parent population of generation 1: "
                + population);
        List<?> parents = (List<?>) trials.get(25).systemAttrs().get(NsgaIISampler.PARENTS_KEY);
        List<?> pop2 = (List<?>) study.systemAttrs().get(NsgaIISampler.POPULATION_KEY + 2);
        assertTrue(pop2.containsAll(parents), "parents " + parents + " must come from the population " + pop2);
    }

    @Test
    void eliteKeepsWholeFrontsThenTheMostIsolated() {
        Study study = run(new RandomSampler(3), 40);
        List<FrozenTrial> all = study.trials();
        List<FrozenTrial> elite = NsgaIISampler.elite(all, MIN2, 15);
        assertEquals(15, elite.size());
        for (FrozenTrial in : elite) {
            for (FrozenTrial out : all) {
                if (!elite.contains(out)) {
                    assertFalse(Study.dominates(out.values(), in.values(), MIN2) && isFront(out, all),
                            "a front member was dropped for a dominated one");
                }
            }
        }
        for (FrozenTrial t : study.bestTrials()) {
            if (study.bestTrials().size() <= 15) {
                assertTrue(elite.contains(t), "the first front fits and must be kept whole");
            }
        }
    }

    private static boolean isFront(FrozenTrial t, List<FrozenTrial> all) {
        for (FrozenTrial o : all) {
            if (Study.dominates(o.values(), t.values(), MIN2)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void genesRoundTripEveryKindOfDistribution() {
        List<Distribution> dists = List.of(FloatDistribution.of(-2, 3), FloatDistribution.log(1e-4, 1e-1),
                FloatDistribution.stepped(0, 1, 0.25), IntDistribution.of(-3, 7), new IntDistribution(0, 10, false, 2),
                new IntDistribution(1, 100, true, 1), CategoricalDistribution.of("a", "b", "c"));
        SplittableRandom rng = new SplittableRandom(0);
        for (Distribution d : dists) {
            for (int i = 0; i < 200; i++) {
                double v = RandomSampler.sample(rng, d);
                double u = NsgaIISampler.encode(v, d);
                assertTrue(u >= 0 && u <= 1, d + ": gene " + u);
                assertEquals(v, NsgaIISampler.decode(Math.min(u, Math.nextDown(1.0)), d), Math.abs(v) * 1e-12,
                        d + " round trip of " + v);
                double w = NsgaIISampler.decode(rng.nextDouble(), d);
                assertTrue(d.contains(w), d + " decoded " + w + " outside");
            }
        }
    }
}
