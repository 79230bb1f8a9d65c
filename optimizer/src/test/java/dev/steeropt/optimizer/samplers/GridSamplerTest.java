package dev.steeropt.optimizer.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.pruners.NopPruner;
import dev.steeropt.optimizer.storage.InMemoryTrialStore;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.Trial;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link GridSampler}: the sampler contract, every point once, seeded order, workers sharing a store, stopping. */
class GridSamplerTest implements SamplerContract {

    @Override
    public Sampler newSampler(long seed) {
        Map<String, List<?>> grid = new LinkedHashMap<>();
        grid.put("x", List.of(-2.0, 0.5, 3.0));
        grid.put("lr", List.of(1e-4, 1e-2, 1e-1));
        grid.put("frac", List.of(0.0, 0.5, 1.0));
        grid.put("layer", List.of(-3L, 2L, 7L));
        grid.put("width", List.of(0L, 6L, 10L));
        grid.put("batch", List.of(1L, 10L, 100L));
        grid.put("method", List.of("CAA", "DAC", "none"));
        return new GridSampler(grid, seed);
    }

    private static Map<String, List<?>> small() {
        Map<String, List<?>> grid = new LinkedHashMap<>();
        grid.put("a", List.of(1L, 2L, 3L));
        grid.put("b", List.of("u", "v"));
        return grid;
    }

    private static String key(Trial t) {
        return t.suggestInt("a", 1, 3) + "/" + t.suggestCategorical("b", List.of("u", "v"));
    }

    @Test
    void optimizeVisitsEveryCombinationOnceThenStops() {
        Study study = Study.builder().sampler(new GridSampler(small(), 1)).pruner(new NopPruner()).create();
        Set<String> seen = new HashSet<>();
        study.optimize(t -> {
            assertTrue(seen.add(key(t)), "a grid point was visited twice: " + seen);
            return 0.0;
        }, 100);
        assertEquals(6, study.trials().size(), "the study must stop once the 6 points are done");
        assertEquals(Set.of("1/u", "1/v", "2/u", "2/v", "3/u", "3/v"), seen);
    }

    private static List<Integer> order(long seed, int size) {
        Map<String, List<?>> grid = new LinkedHashMap<>();
        List<Long> values = new ArrayList<>();
        for (long i = 0; i < size; i++) {
            values.add(i);
        }
        grid.put("i", values);
        Study study = Study.builder().sampler(new GridSampler(grid, seed)).pruner(new NopPruner()).create();
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < size; k++) {
            Trial t = study.ask();
            out.add((int) t.suggestInt("i", 0, size - 1));
            study.tell(t, 0.0);
        }
        return out;
    }

    @Test
    void orderIsShuffledFromTheSeed() {
        List<Integer> a = order(42, 24);
        assertEquals(a, order(42, 24), "same seed, same order");
        assertEquals(24, new HashSet<>(a).size());
        assertNotEquals(a, order(43, 24), "another seed should give another order");
        List<Integer> sorted = new ArrayList<>(a);
        sorted.sort(null);
        assertNotEquals(sorted, a, "the order should be shuffled");
    }

    @Test
    void workersSharingAStoreTakeDifferentPoints() {
        InMemoryTrialStore store = new InMemoryTrialStore();
        Study w1 = Study.builder().store(store).name("grid").sampler(new GridSampler(small(), 9))
                .pruner(new NopPruner()).create();
        Study w2 = Study.builder().store(store).name("grid").loadIfExists(true).sampler(new GridSampler(small(), 9))
                .pruner(new NopPruner()).create();
        Set<String> seen = new HashSet<>();
        for (int round = 0; round < 3; round++) {
            Trial a = w1.ask(); // both RUNNING at once: the second must avoid the first's point
            Trial b = w2.ask();
            assertTrue(seen.add(key(a)), "duplicate point " + seen);
            assertTrue(seen.add(key(b)), "duplicate point " + seen);
            w1.tell(a, 0.0);
            w2.tell(b, 0.0);
        }
        assertEquals(6, seen.size());
        for (FrozenTrial t : w1.trials()) {
            assertTrue(t.systemAttrs().get(GridSampler.GRID_ID) instanceof Number, "grid_id recorded");
            assertTrue(t.systemAttrs().get(GridSampler.SEARCH_SPACE) instanceof Map, "search_space recorded");
        }
    }

    @Test
    void paramOutsideTheGridIsRefused() {
        Study study = Study.builder().sampler(new GridSampler(small(), 1)).pruner(new NopPruner()).create();
        Trial t = study.ask();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.suggestFloat("c", 0, 1));
        assertTrue(e.getMessage().contains("'c'"), e.getMessage());
    }

    @Test
    void emptyValueListIsRefused() {
        Map<String, List<?>> grid = new LinkedHashMap<>();
        grid.put("a", List.of());
        assertThrows(IllegalArgumentException.class, () -> new GridSampler(grid, 0));
    }

    @Test
    void pointEnumeratesTheProductLastParamFastest() {
        GridSampler s = new GridSampler(small(), 0);
        assertEquals(6, s.gridSize());
        assertEquals(Map.of("a", 1L, "b", "u"), s.point(0));
        assertEquals(Map.of("a", 1L, "b", "v"), s.point(1));
        assertEquals(Map.of("a", 3L, "b", "v"), s.point(5));
    }
}
