package dev.steeropt.optimizer.samplers.tpe;

import static dev.steeropt.optimizer.OptunaFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steeropt.optimizer.OptunaFixtures;
import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.DistributionJson;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Parzen-estimator case of the Optuna fixtures (13 spaces x univariate/multivariate, per ref): kernel centres,
 * widths, truncation bounds, mixture weights, categorical rows and the mixture log density at fixed points.
 * Tolerance: 1e-9 relative plus 1e-12 absolute.
 */
class ParzenEstimatorTest {
    private static final double REL = 1e-9;
    private static final double ABS = 1e-12;

    /** The bandwidth rule each ref used: Optuna 4.9 multivariate is Scott-like, everything else neighbour gaps. */
    static ParzenEstimator.Bandwidth bandwidth(String ref, boolean multivariate) {
        return ref.equals(OptunaFixtures.V49) && multivariate ? ParzenEstimator.Bandwidth.SCOTT
                : ParzenEstimator.Bandwidth.NEIGHBOUR_GAPS;
    }

    @ParameterizedTest
    @ValueSource(strings = {OptunaFixtures.MASTER, OptunaFixtures.V49})
    void matchesEveryFixtureCase(String ref) {
        JsonNode cases = OptunaFixtures.ref(ref).path("parzen");
        assertEquals(26, cases.size(), "expected 26 Parzen cases for " + ref);
        for (JsonNode c : cases) {
            checkCase(ref, c);
        }
    }

    private static void checkCase(String ref, JsonNode c) {
        boolean mv = c.path("multivariate").asBoolean();
        String label = ref + " " + c.path("name").asText() + (mv ? " multivariate" : " univariate");
        List<String> names = new ArrayList<>();
        List<Distribution> dists = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = c.path("search_space").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            names.add(e.getKey());
            dists.add(DistributionJson.fromNode(e.getValue()));
        }
        int n = c.path("observations_external").size();
        double[][] obs = new double[names.size()][n];
        for (int j = 0; j < names.size(); j++) {
            JsonNode row = c.path("observations_internal").path(names.get(j));
            for (int i = 0; i < n; i++) {
                obs[j][i] = row.get(i).asDouble();
            }
        }
        ParzenEstimator.Parameters p = new ParzenEstimator.Parameters(1.0, true, false, bandwidth(ref, mv));
        ParzenEstimator pe = new ParzenEstimator(names, dists, obs, TpeDefaults.weights(n), p);

        JsonNode mw = c.path("mixture_weights");
        double[] w = pe.mixtureWeights();
        assertEquals(mw.size(), w.length, label + " kernel count");
        for (int i = 0; i < w.length; i++) {
            assertClose(mw.get(i).asDouble(), w[i], REL, ABS, label + " mixture weight " + i);
        }
        for (int j = 0; j < names.size(); j++) {
            JsonNode k = c.path("kernels").path(names.get(j));
            String pl = label + " param " + names.get(j);
            if (dists.get(j) instanceof CategoricalDistribution) {
                assertEquals("categorical", k.path("kind").asText(), pl);
                double[][] rows = pe.categoricalWeights(j);
                for (int i = 0; i < rows.length; i++) {
                    for (int ch = 0; ch < rows[i].length; ch++) {
                        assertClose(k.path("weights").get(i).get(ch).asDouble(), rows[i][ch], REL, ABS,
                                pl + " row " + i + " choice " + ch);
                    }
                }
                continue;
            }
            double[] mus = pe.mus(j);
            double[] sig = pe.sigmas(j);
            for (int i = 0; i < mus.length; i++) {
                assertClose(k.path("mu").get(i).asDouble(), mus[i], REL, ABS, pl + " mu " + i);
                assertClose(k.path("sigma").get(i).asDouble(), sig[i], REL, ABS, pl + " sigma " + i);
            }
            if (k.has("adapted_low")) {
                double[] b = pe.adaptedBounds(j);
                assertClose(k.path("adapted_low").asDouble(), b[0], REL, ABS, pl + " adapted_low");
                assertClose(k.path("adapted_high").asDouble(), b[1], REL, ABS, pl + " adapted_high");
            }
        }
        JsonNode pts = c.path("eval_points_external");
        double[][] x = new double[names.size()][pts.size()];
        for (int m = 0; m < pts.size(); m++) {
            for (int j = 0; j < names.size(); j++) {
                JsonNode v = pts.get(m).path(names.get(j));
                Object ext = v.isTextual() ? v.asText() : v.isIntegralNumber() ? (Object) v.asLong() : v.asDouble();
                x[j][m] = dists.get(j).toInternal(ext);
            }
        }
        double[] lp = pe.logPdf(x);
        for (int m = 0; m < pts.size(); m++) {
            assertClose(c.path("log_pdf").get(m).asDouble(), lp[m], REL, ABS, label + " log_pdf at " + pts.get(m));
        }
    }

    @Test
    void olderUnivariateRuleCountsThePriorAsANeighbour() {
        // Optuna 4.0-4.8: with the prior centre 0 among [-3, 3] on [-4, 4], each observation's larger gap is 3.
        ParzenEstimator.Parameters p = new ParzenEstimator.Parameters(1.0, true, false,
                ParzenEstimator.Bandwidth.NEIGHBOUR_GAPS_WITH_PRIOR);
        ParzenEstimator pe = new ParzenEstimator(List.of("x"), List.of(FloatDistribution.of(-4, 4)),
                new double[][] {{-3, 3}}, TpeDefaults.weights(2), p);
        assertClose(3.0, pe.sigmas(0)[0], 1e-15, 0, "left sigma");
        assertClose(3.0, pe.sigmas(0)[1], 1e-15, 0, "right sigma");
        ParzenEstimator now = new ParzenEstimator(List.of("x"), List.of(FloatDistribution.of(-4, 4)),
                new double[][] {{-3, 3}}, TpeDefaults.weights(2), ParzenEstimator.Parameters.optunaDefaults());
        assertClose(6.0, now.sigmas(0)[0], 1e-15, 0, "left sigma without prior neighbour");
    }

    @Test
    void samplesStayInBoundsAndOnTheGrid() {
        List<Distribution> dists = List.of(FloatDistribution.of(-4, 4), FloatDistribution.log(1e-4, 1e-1),
                IntDistribution.of(0, 23), new IntDistribution(1, 1024, true, 1), FloatDistribution.stepped(0, 1, 0.1),
                CategoricalDistribution.of("CAA", "DAC", "ITI"));
        double[][] obs = {{-3.9, 0.5, 3.99}, {1e-4, 3e-3, 0.1}, {0, 9, 23}, {1, 100, 1024}, {0, 0.3, 1.0}, {0, 2, 2}};
        ParzenEstimator pe = new ParzenEstimator(List.of("a", "b", "c", "d", "e", "f"), dists, obs,
                TpeDefaults.weights(3), ParzenEstimator.Parameters.optunaDefaults());
        double[][] s = pe.sample(new SplittableRandom(7), 2000);
        for (int j = 0; j < dists.size(); j++) {
            for (double v : s[j]) {
                assertTrue(dists.get(j).contains(v), "sample " + v + " outside " + dists.get(j));
            }
        }
        double[] lp = pe.logPdf(s);
        for (double v : lp) {
            assertTrue(Double.isFinite(v), "log density of an own sample must be finite, got " + v);
        }
    }
}
