package dev.steeropt.optimizer.samplers.tpe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steeropt.optimizer.OptunaFixtures;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The 14 below/above split cases of the Optuna fixtures (exact trial numbers), for both refs. */
class TpeSplitTest {

    @ParameterizedTest
    @ValueSource(strings = {OptunaFixtures.MASTER, OptunaFixtures.V49})
    void reproducesEveryFixtureSplit(String ref) {
        JsonNode s = OptunaFixtures.ref(ref).path("split");
        List<FrozenTrial> trials = new ArrayList<>();
        for (JsonNode t : s.path("trials")) {
            TrialState st = TrialState.valueOf(t.path("state").asText());
            TreeMap<Integer, Double> iv = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = t.path("intermediate_values").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                iv.put(Integer.parseInt(e.getKey()), OptunaFixtures.num(e.getValue()));
            }
            List<Double> values = t.path("value").isNull() ? null : List.of(t.path("value").asDouble());
            trials.add(new FrozenTrial(t.path("number").asInt(), t.path("number").asInt(), st, values, null, null,
                    Map.of(), Map.of(), Map.of(), Map.of(), iv));
        }
        assertEquals(14, s.path("cases").size(), "expected 14 split cases");
        for (JsonNode c : s.path("cases")) {
            StudyDirection dir = StudyDirection.parse(c.path("direction").asText());
            TpeSplit.Result r = TpeSplit.split(trials, c.path("n_below").asInt(), List.of(dir));
            assertEquals(numbers(c.path("below_numbers")), r.below().stream().map(FrozenTrial::number).toList(),
                    ref + " below for " + c);
            assertEquals(numbers(c.path("above_numbers")), r.above().stream().map(FrozenTrial::number).toList(),
                    ref + " above for " + c);
        }
    }

    private static List<Integer> numbers(JsonNode arr) {
        List<Integer> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asInt()));
        return out;
    }

    @Test
    void multiObjectiveBelowIsTheFirstNonDominatedRanks() {
        // (1,4) (2,2) (4,1) are rank 0; (3,3) rank 1; (5,5) rank 2.
        double[][] v = {{1, 4}, {3, 3}, {2, 2}, {5, 5}, {4, 1}};
        List<FrozenTrial> trials = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            trials.add(new FrozenTrial(i, i, TrialState.COMPLETE, List.of(v[i][0], v[i][1]), null, null, Map.of(),
                    Map.of(), Map.of(), Map.of(), null));
        }
        assertEquals(List.of(0, 1, 0, 2, 0), java.util.Arrays.stream(TpeSplit.nonDominatedRanks(v)).boxed().toList());
        List<StudyDirection> min2 = List.of(StudyDirection.MINIMIZE, StudyDirection.MINIMIZE);
        TpeSplit.Result r = TpeSplit.split(trials, 4, min2);
        assertEquals(List.of(0, 1, 2, 4), r.below().stream().map(FrozenTrial::number).toList());
        assertEquals(List.of(3), r.above().stream().map(FrozenTrial::number).toList());
    }
}
