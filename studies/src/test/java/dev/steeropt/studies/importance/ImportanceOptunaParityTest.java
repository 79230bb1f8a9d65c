package dev.steeropt.studies.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.studies.cli.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our importances against Optuna 5.0.0's own, on one study that Python Optuna writes into SQLite
 * ({@code studies/tools/optuna-importance.py}: 150 RandomSampler trials over a float, a log float, an int, a
 * 3-choice categorical and an int that does not matter), read back by {@code steeropt importance}.
 *
 * <p>Tolerances. PED-ANOVA is deterministic: the same grid, kernels and divergence as Optuna, so every normalised
 * value must agree within {@value #PED_ANOVA_ABS} (and the raw values within a relative {@value #PED_ANOVA_ABS}).
 * fANOVA depends on the forest: scikit-learn's (Optuna) and ours (Java) draw different bootstrap samples, so we
 * compare with the spread of Optuna's own values over 10 forest seeds: each of our values (seed 0) must lie within
 * {@value #FANOVA_SIGMAS} of Optuna's standard deviations, or {@value #FANOVA_ABS} absolute, of Optuna's mean; and
 * the ranking must match wherever Optuna's means are separated by more than that band.
 */
class ImportanceOptunaParityTest {
    static final double PED_ANOVA_ABS = 1e-9;
    static final double FANOVA_SIGMAS = 4.0;
    static final double FANOVA_ABS = 0.02;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static JsonNode optuna;
    static String storage;

    @BeforeAll
    static void optunaStudy() throws Exception {
        String python = OptunaVenv.python();
        assumeTrue(python != null, OptunaVenv.MISSING);
        Path db = dir.resolve("importance.db");
        Process p = new ProcessBuilder(python, Path.of("tools", "optuna-importance.py").toString(), db.toString(),
                "mixed", "150").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "optuna-importance.py did not finish in 5 minutes");
        assertEquals(0, p.exitValue(), "optuna-importance.py failed: " + out);
        optuna = JSON.readTree(out);
        storage = "sqlite:///" + db.toAbsolutePath();
    }

    private static Map<String, Double> ours(String evaluator, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("importance", "--storage", storage, "--study-name", "mixed",
                "--evaluator", evaluator, "--format", "json"));
        args.addAll(List.of(extra));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        JsonNode node = JSON.readTree(run.out());
        assertEquals(evaluator, node.get("evaluator").asText());
        return toMap(node.get("importances"));
    }

    private static Map<String, Double> toMap(JsonNode obj) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asDouble());
        }
        return m;
    }

    @Test
    void pedAnovaMatchesOptunaNumerically() throws Exception {
        Map<String, Double> expected = toMap(optuna.get("ped_anova"));
        Map<String, Double> actual = ours("ped-anova");
        System.out.println("PED-ANOVA Optuna " + expected + "\nPED-ANOVA ours   " + actual);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "ranking");
        expected.forEach((k, v) -> assertEquals(v, actual.get(k), PED_ANOVA_ABS, k));
    }

    @Test
    void pedAnovaRawValuesMatchWithoutNormalize() throws Exception {
        Map<String, Double> expected = toMap(optuna.get("ped_anova_raw"));
        Map<String, Double> actual = ours("ped-anova", "--no-normalize");
        assertTrue(actual.values().stream().mapToDouble(Double::doubleValue).sum() < 0.5,
                "raw PED-ANOVA values are not normalised: " + actual);
        expected.forEach((k, v) -> assertEquals(v, actual.get(k), Math.abs(v) * PED_ANOVA_ABS, k));
    }

    @Test
    void fanovaAgreesWithOptunaWithinItsSeedSpread() throws Exception {
        Map<String, Double> mean = new LinkedHashMap<>();
        Map<String, Double> sd = new LinkedHashMap<>();
        JsonNode seeds = optuna.get("fanova_seeds");
        for (String k : toMap(seeds.get(0)).keySet()) {
            double s = 0;
            double ss = 0;
            for (JsonNode run : seeds) {
                s += run.get(k).asDouble();
                ss += run.get(k).asDouble() * run.get(k).asDouble();
            }
            int n = seeds.size();
            mean.put(k, s / n);
            sd.put(k, Math.sqrt(Math.max(0, (ss - s * s / n) / (n - 1))));
        }
        Map<String, Double> actual = ours("fanova", "--seed", "0");
        System.out.println("fANOVA Optuna mean " + mean + "\nfANOVA Optuna sd   " + sd + "\nfANOVA ours        "
                + actual);
        Map<String, Double> band = new LinkedHashMap<>();
        mean.forEach((k, m) -> band.put(k, Math.max(FANOVA_SIGMAS * sd.get(k), FANOVA_ABS)));
        for (String k : mean.keySet()) {
            assertEquals(mean.get(k), actual.get(k), band.get(k), k + " (Optuna mean +- band)");
        }
        for (String a : mean.keySet()) {
            for (String b : mean.keySet()) {
                if (mean.get(a) - mean.get(b) > band.get(a) + band.get(b)) {
                    assertTrue(actual.get(a) > actual.get(b), a + " ranks above " + b + " in Optuna: " + actual);
                }
            }
        }
    }
}
