package dev.steeropt.studies.service;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Studies written straight into a real store for the service's tests and benchmark: a single-objective study whose
 * value depends only on {@code x} (so {@code x} is the important parameter), with a log-scale {@code lr}, a
 * categorical {@code method}, intermediate values, and a given mix of states.
 */
public final class ServiceFixture {
    static final Map<String, Distribution> SPACE = Map.of(
            "x", FloatDistribution.of(-5, 5),
            "lr", FloatDistribution.log(1e-4, 1e-1),
            "layer", IntDistribution.of(0, 7),
            "method", CategoricalDistribution.of("CAA", "DAC"));

    private ServiceFixture() {}

    /** A COMPLETE (or other state) trial with value -(x - 1)^2 (maximised at x = 1) and 3 intermediate values. */
    public static FrozenTrial trial(Random rnd, TrialState state, int number, Instant start) {
        double x = -5 + 10 * rnd.nextDouble();
        double lr = Math.pow(10, -4 + 3 * rnd.nextDouble());
        long layer = rnd.nextInt(8);
        String method = rnd.nextBoolean() ? "CAA" : "DAC";
        double value = -(x - 1) * (x - 1);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("x", x);
        params.put("lr", lr);
        params.put("layer", layer);
        params.put("method", method);
        Map<String, Distribution> dists = new LinkedHashMap<>();
        params.keySet().forEach(p -> dists.put(p, SPACE.get(p)));
        TreeMap<Integer, Double> iv = new TreeMap<>();
        for (int s = 1; s <= 3; s++) {
            iv.put(s, value - (3 - s) * 0.5);
        }
        boolean finished = state.isFinished();
        List<Double> values = state == TrialState.COMPLETE ? List.of(value) : null;
        return new FrozenTrial(0, number, state, values, state == TrialState.WAITING ? null : start,
                finished ? start.plusMillis(500 + rnd.nextInt(1000)) : null, params, dists, Map.of("seed", number),
                state == TrialState.FAIL ? Map.of("fail_reason", "boom") : Map.of(), iv);
    }

    /** A maximising study of {@code n} trials: mostly COMPLETE, every 7th PRUNED, every 11th FAIL; the last RUNNING. */
    public static long study(TrialStore store, String name, int n, long seed) {
        long id = store.createStudy(name, List.of(StudyDirection.MAXIMIZE));
        Random rnd = new Random(seed);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            TrialState s = i == n - 1 ? TrialState.RUNNING : i % 11 == 10 ? TrialState.FAIL
                    : i % 7 == 6 ? TrialState.PRUNED : TrialState.COMPLETE;
            store.createTrial(id, trial(rnd, s, i, t0.plusSeconds(2L * i)));
        }
        return id;
    }

    /** A two-objective study (maximise accuracy, minimise tokens) with known points. */
    public static long twoObjectives(TrialStore store, String name, double[][] points) {
        long id = store.createStudy(name, List.of(StudyDirection.MAXIMIZE, StudyDirection.MINIMIZE));
        Instant t0 = Instant.parse("2026-01-02T00:00:00Z");
        for (int i = 0; i < points.length; i++) {
            store.createTrial(id, new FrozenTrial(0, i, TrialState.COMPLETE, List.of(points[i][0], points[i][1]),
                    t0.plusSeconds(i), t0.plusSeconds(i + 1), Map.of("x", (double) i),
                    Map.of("x", FloatDistribution.of(0, 100)), Map.of(), Map.of(), null));
        }
        return id;
    }
}
