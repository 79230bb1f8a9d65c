package dev.steeropt.studies.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sweep finds exactly the trials a brute-force dominance check finds, with ties and mixed directions. */
class ParetoFrontTest {
    @Test
    void equalsBruteForceOnRandomStudies() {
        Random rnd = new Random(7);
        List<StudyDirection> dirs = List.of(StudyDirection.MAXIMIZE, StudyDirection.MINIMIZE, StudyDirection.MINIMIZE);
        for (int round = 0; round < 50; round++) {
            List<FrozenTrial> trials = new ArrayList<>();
            int n = 1 + rnd.nextInt(60);
            for (int i = 0; i < n; i++) {
                List<Double> v = List.of((double) rnd.nextInt(6), (double) rnd.nextInt(6), (double) rnd.nextInt(6));
                trials.add(new FrozenTrial(i, i, i % 9 == 8 ? TrialState.PRUNED : TrialState.COMPLETE, v, null, null,
                        Map.of(), Map.of(), Map.of(), Map.of(), null));
            }
            assertEquals(bruteForce(trials, dirs), ParetoFront.numbers(trials, dirs), "round " + round);
        }
    }

    private static List<Integer> bruteForce(List<FrozenTrial> trials, List<StudyDirection> dirs) {
        List<Integer> out = new ArrayList<>();
        for (FrozenTrial a : trials) {
            if (a.state() != TrialState.COMPLETE) {
                continue;
            }
            boolean dominated = false;
            for (FrozenTrial b : trials) {
                if (b.state() == TrialState.COMPLETE && ParetoFront.dominates(min(b, dirs), min(a, dirs))) {
                    dominated = true;
                }
            }
            if (!dominated) {
                out.add(a.number());
            }
        }
        return out;
    }

    private static double[] min(FrozenTrial t, List<StudyDirection> dirs) {
        double[] p = new double[dirs.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = dirs.get(i) == StudyDirection.MAXIMIZE ? -t.values().get(i) : t.values().get(i);
        }
        return p;
    }
}
