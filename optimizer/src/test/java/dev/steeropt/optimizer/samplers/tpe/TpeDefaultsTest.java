package dev.steeropt.optimizer.samplers.tpe;

import static dev.steeropt.optimizer.OptunaFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steeropt.optimizer.OptunaFixtures;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** gamma(n), multi-objective gamma(n) and weights(n) against both refs' fixtures (exact integers; weights 1e-12). */
class TpeDefaultsTest {

    @ParameterizedTest
    @ValueSource(strings = {OptunaFixtures.MASTER, OptunaFixtures.V49})
    void gammaAndWeightsMatchOptuna(String ref) {
        JsonNode r = OptunaFixtures.ref(ref);
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("gamma").fields(); it.hasNext(); checked++) {
            Map.Entry<String, JsonNode> e = it.next();
            assertEquals(e.getValue().asInt(), TpeDefaults.gamma(Integer.parseInt(e.getKey())), "gamma(" + e.getKey() + ")");
        }
        assertEquals(11, checked, "gamma cases");
        JsonNode mo = r.path("gamma_multiobjective");
        if (ref.equals(OptunaFixtures.MASTER)) {
            assertEquals(11, mo.size(), "master has multi-objective gamma cases");
            for (Iterator<Map.Entry<String, JsonNode>> it = mo.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                assertEquals(e.getValue().asInt(), TpeDefaults.gammaMultiObjective(Integer.parseInt(e.getKey())),
                        "gamma_multiobjective(" + e.getKey() + ")");
            }
        } else {
            assertEquals(true, mo.isNull(), "v4.9 has no separate multi-objective gamma");
        }
        int wcases = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("weights").fields(); it.hasNext(); wcases++) {
            Map.Entry<String, JsonNode> e = it.next();
            int n = Integer.parseInt(e.getKey());
            double[] w = TpeDefaults.weights(n);
            assertEquals(e.getValue().size(), w.length, "weights(" + n + ") length");
            for (int i = 0; i < w.length; i++) {
                assertClose(e.getValue().get(i).asDouble(), w[i], 1e-12, 0, "weights(" + n + ")[" + i + "]");
            }
        }
        assertEquals(6, wcases, "weights cases");
    }
}
