package dev.steeropt.optimizer.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.pruners.NopPruner;
import dev.steeropt.optimizer.samplers.RandomSampler;
import dev.steeropt.optimizer.samplers.tpe.TpeSampler;
import dev.steeropt.optimizer.storage.DuplicatedStudyException;
import dev.steeropt.optimizer.storage.InMemoryTrialStore;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.Trial;
import dev.steeropt.optimizer.trial.TrialState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The study API: ask/tell, optimize's failure handling, enqueue, best trials, retries. */
class StudyTest {

    private static Study newStudy() {
        return Study.builder().sampler(new RandomSampler(1)).pruner(new NopPruner()).create();
    }

    @Test
    void askTellRecordsParamsValuesAndBest() {
        Study s = newStudy();
        for (int i = 0; i < 5; i++) {
            Trial t = s.ask();
            double x = t.suggestFloat("x", -2, 2);
            assertEquals(x, t.suggestFloat("x", -2, 2), "a repeated suggest returns the stored value");
            s.tell(t, x * x);
        }
        assertEquals(5, s.trials(EnumSet.of(TrialState.COMPLETE)).size());
        double best = s.trials().stream().mapToDouble(FrozenTrial::value).min().orElseThrow();
        assertEquals(best, s.bestValue());
        assertEquals(s.bestTrial().params(), s.bestParams());
        Trial t = s.ask();
        assertThrows(IllegalArgumentException.class, () -> t.suggestInt("x", 0, 3), "x is a float param");
    }

    @Test
    void tellRefusesFinishedTrialsAndTurnsNanIntoFail() {
        Study s = newStudy();
        Trial t = s.ask();
        t.suggestFloat("x", 0, 1);
        FrozenTrial f = s.tell(t, Double.NaN);
        assertEquals(TrialState.FAIL, f.state(), "NaN must become FAIL, never a value");
        assertNull(f.values());
        assertTrue(f.systemAttrs().get("fail_reason").toString().contains("NaN"));
        assertThrows(IllegalStateException.class, () -> s.tell(t, 1.0));
        Trial t2 = s.ask();
        assertThrows(IllegalArgumentException.class, () -> s.tell(t2.number(), TrialState.COMPLETE, new double[] {1,
                2}));
        assertEquals(TrialState.FAIL, s.tell(t2, 1.0, 2.0).state(), "wrong number of values fails the trial");
    }

    @Test
    void optimizeRecordsFailuresPrunesAndRethrowsUncaught() {
        Study s = newStudy();
        List<Integer> seen = new ArrayList<>();
        s.optimize(t -> {
            double x = t.suggestFloat("x", 0, 1);
            if (t.number() == 1) {
                throw new IOException("disk gone");
            }
            if (t.number() == 2) {
                t.report(0, 0.7);
                throw new TrialPrunedException();
            }
            return x;
        }, 4, null, List.of(IOException.class), List.of((study, trial) -> seen.add(trial.number())));
        assertEquals(List.of(0, 1, 2, 3), seen, "callbacks see every finished trial");
        List<FrozenTrial> all = s.trials();
        assertEquals(TrialState.FAIL, all.get(1).state());
        assertTrue(all.get(1).systemAttrs().get("fail_reason").toString().contains("disk gone"));
        assertEquals(TrialState.PRUNED, all.get(2).state());
        assertEquals(List.of(0.7), all.get(2).values(), "PRUNED keeps its last intermediate value");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.optimize(t -> {
            throw new IllegalStateException("bug");
        }, 3));
        assertEquals("bug", e.getMessage());
        assertEquals(TrialState.FAIL, s.trials().get(4).state(), "the failing trial is recorded before rethrow");
        assertEquals(5, s.trials().size(), "optimize stops at an uncaught exception");
    }

    @Test
    void stopEndsTheLoop() {
        Study s = newStudy();
        s.optimize(t -> t.suggestFloat("x", 0, 1), 100, null, List.of(), List.of((study, trial) -> {
            if (trial.number() == 2) {
                study.stop();
            }
        }));
        assertEquals(3, s.trials().size());
    }

    @Test
    void enqueuedParamsAreUsedFirstAndDuplicatesSkipped() {
        Study s = newStudy();
        assertTrue(s.enqueueTrial(Map.of("x", 0.25, "m", "b"), Map.of("src", "manual"), false));
        assertTrue(!s.enqueueTrial(Map.of("x", 0.25, "m", "b"), Map.of(), true), "same params are skipped");
        Trial t = s.ask();
        assertEquals(0, t.number());
        assertEquals(0.25, t.suggestFloat("x", 0, 1));
        assertEquals("b", t.suggestCategorical("m", List.of("a", "b")));
        assertEquals("manual", t.userAttrs().get("src"));
        s.tell(t, 1.0);
        assertTrue(!s.enqueueTrial(Map.of("x", 0.25, "m", "b"), Map.of(), true), "an existing trial also counts");
        assertEquals(1, s.trials().size());
    }

    @Test
    void askWithFixedDistributionsSuggestsThem() {
        Study s = newStudy();
        Trial t = s.ask(Map.of("lr", FloatDistribution.log(1e-4, 1e-1)));
        double lr = (Double) t.params().get("lr");
        assertTrue(lr >= 1e-4 && lr <= 1e-1, "lr out of range: " + lr);
    }

    @Test
    void duplicateNamesFailUnlessLoadIfExists() {
        InMemoryTrialStore store = new InMemoryTrialStore();
        Study a = Study.builder().store(store).name("s").direction(StudyDirection.MAXIMIZE).create();
        assertThrows(DuplicatedStudyException.class, () -> Study.builder().store(store).name("s").create());
        Study b = Study.builder().store(store).name("s").loadIfExists(true).create();
        assertEquals(List.of(StudyDirection.MAXIMIZE), b.directions(), "stored directions win");
        assertEquals(a.studyId(), Study.load(store, "s", null, null).studyId());
    }

    @Test
    void paretoFrontForTwoObjectives() {
        Study s = Study.builder().directions(List.of(StudyDirection.MINIMIZE, StudyDirection.MAXIMIZE))
                .sampler(new RandomSampler(3)).create();
        double[][] vals = {{1, 1}, {2, 3}, {3, 2}, {0.5, 0.5}, {2, 3}};
        for (double[] v : vals) {
            Trial t = s.ask();
            s.tell(t, v);
        }
        List<Integer> front = s.bestTrials().stream().map(FrozenTrial::number).toList();
        assertEquals(List.of(0, 1, 3, 4), front);
        assertThrows(IllegalStateException.class, s::bestTrial);
        Trial t = s.ask();
        assertThrows(UnsupportedOperationException.class, () -> t.report(0, 1.0));
    }

    @Test
    void retryCallbackReEnqueuesStaleTrialsWithHistory() {
        Study s = newStudy();
        Trial t = s.ask();
        t.suggestFloat("x", 0, 1);
        s.tell(t, TrialState.FAIL);
        RetryFailedTrialCallback cb = new RetryFailedTrialCallback(1, false);
        assertEquals(1, cb.maxRetry());
        assertTrue(cb.retry(s, s.trials().get(0)), "the first retry is enqueued");
        FrozenTrial retry = s.trials().get(1);
        assertEquals(TrialState.WAITING, retry.state());
        assertEquals(s.trials().get(0).params(), retry.params());
        assertEquals(0, RetryFailedTrialCallback.retriedTrialNumber(retry));
        assertEquals(List.of(0), RetryFailedTrialCallback.retryHistory(retry));
        Trial again = s.ask();
        assertEquals(1, again.number());
        assertEquals(s.trials().get(0).params().get("x"), again.suggestFloat("x", 0, 1));
        s.tell(again, TrialState.FAIL);
        assertFalse(cb.retry(s, s.trials().get(1)), "maxRetry 1: the lineage [0, 1] is exhausted");
        cb.accept(s, s.trials().get(1));
        assertEquals(2, s.trials().size(), "maxRetry 1: no second retry");
    }

    @Test
    void seededTpeIsDeterministicAndInBounds() {
        List<Object> first = runTpe(42);
        assertEquals(first, runTpe(42), "same seed, same suggestions");
        assertTrue(!first.equals(runTpe(43)), "another seed gives other suggestions");
    }

    private static List<Object> runTpe(long seed) {
        Study s = Study.builder().sampler(TpeSampler.builder().seed(seed).nStartupTrials(5).build()).create();
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Trial t = s.ask();
            long layer = t.suggestInt("layer", 0, 23);
            double alpha = t.suggestFloat("alpha", -4, 4);
            String m = t.suggestCategorical("method", List.of("CAA", "DAC"));
            assertTrue(layer >= 0 && layer <= 23 && alpha >= -4 && alpha <= 4, "out of bounds");
            out.add(t.params());
            if (i % 7 == 3) {
                s.tell(t, TrialState.FAIL); // failed trials are ignored by the sampler
            } else {
                s.tell(t, Math.abs(layer - 9) + Math.abs(alpha - 1.5) + (m.equals("DAC") ? 0 : 1));
            }
        }
        return out;
    }
}
