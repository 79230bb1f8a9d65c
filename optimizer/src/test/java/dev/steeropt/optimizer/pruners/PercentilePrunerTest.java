package dev.steeropt.optimizer.pruners;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steeropt.optimizer.OptunaFixtures;
import dev.steeropt.optimizer.study.StudyDirection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** All 98 Median/Percentile pruner decisions of the Optuna fixtures (exact booleans), for both refs. */
class PercentilePrunerTest {

    @ParameterizedTest
    @ValueSource(strings = {OptunaFixtures.MASTER, OptunaFixtures.V49})
    void reproducesEveryFixtureDecision(String ref) {
        JsonNode p = OptunaFixtures.ref(ref).path("pruners");
        JsonNode cases = p.path("cases");
        assertEquals(98, cases.size(), "expected 98 pruner cases");
        int checked = 0;
        for (JsonNode c : cases) {
            StudyDirection dir = StudyDirection.parse(c.path("direction").asText());
            double sign = dir == StudyDirection.MAXIMIZE ? -1 : 1;
            List<SortedMap<Integer, Double>> completed = new ArrayList<>();
            for (JsonNode t : p.path("completed_trials_intermediate_values_minimize")) {
                completed.add(curve(t, sign));
            }
            PercentilePruner pruner = pruner(c.path("pruner").asText(), c.path("kwargs"));
            boolean got = pruner.decide(dir, completed, curve(c.path("current_intermediate_values"), 1)); // current values are already sign-adjusted in the file
            assertEquals(c.path("prune").asBoolean(), got, ref + " case " + checked + ": " + c);
            checked++;
        }
        assertEquals(98, checked);
    }

    private static SortedMap<Integer, Double> curve(JsonNode n, double sign) {
        SortedMap<Integer, Double> m = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(Integer.parseInt(e.getKey()), sign * OptunaFixtures.num(e.getValue()));
        }
        return m;
    }

    private static PercentilePruner pruner(String name, JsonNode kw) {
        int startup = kw.path("n_startup_trials").asInt(5);
        int warmup = kw.path("n_warmup_steps").asInt(0);
        int interval = kw.path("interval_steps").asInt(1);
        int minTrials = kw.path("n_min_trials").asInt(1);
        if (name.equals("MedianPruner")) {
            return new MedianPruner(startup, warmup, interval, minTrials);
        }
        assertEquals("PercentilePruner", name, "unknown pruner in fixture");
        return new PercentilePruner(kw.path("percentile").asDouble(), startup, warmup, interval, minTrials);
    }

    @Test
    void rejectsInvalidSettingsNamingThem() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new PercentilePruner(101));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("101"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new MedianPruner(5, 0, 0, 1));
    }
}
