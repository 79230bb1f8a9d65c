package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench-sampler --multi-objective}: our side through the CLI, and the side-by-side table's tests pointing the
 * right way (larger hypervolume is better).
 */
class MultiObjectiveBenchTest {
    @TempDir
    Path tmp;

    @Test
    void oursOnlyThroughTheCli() throws Exception {
        Path out = tmp.resolve("mo.json");
        CliRun r = CliRun.of("bench-sampler", "--multi-objective", "--skip-optuna", "--seeds", "2", "--n-trials", "12",
                "--samplers", "nsga2_uniform,random", "--objectives", "steer_mo", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(out.toFile());
        assertEquals(2, doc.at("/steeropt/results").size());
        assertTrue(r.out().contains("| steer_mo | nsga2_uniform |") && r.out().contains("Optuna's side not run"),
                r.out());
        CliRun bad = CliRun.of("bench-sampler", "--multi-objective", "--samplers", "cmaes", "--out", out.toString());
        assertEquals(2, bad.exitCode(), bad.err());
    }

    /** Catches: the Mann-Whitney direction swapped (a sampler with larger hypervolumes reported as worse). */
    @Test
    void largerHypervolumesReadAsBetter() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode both = m.createObjectNode();
        ObjectNode ours = both.putObject("steeropt");
        ours.putObject("meta").put("n_trials", 200).put("load_average_at_start", 1).put("load_average_at_end", 1)
                .put("elapsed_s", 1).putArray("seeds").add(0).add(1).add(2).add(3).add(4);
        ours.putObject("problems");
        ObjectNode a = ours.putArray("results").addObject().put("sampler", "nsga2_uniform").put("problem", "zdt1");
        a.putArray("hypervolume_per_seed").add(10.1).add(10.2).add(10.3).add(10.4).add(10.5);
        ObjectNode theirs = both.putObject("optuna");
        theirs.putObject("meta").put("optuna", "5.0.0").put("elapsed_s", 1).put("load_average_at_start", 1);
        ObjectNode b = theirs.putArray("results").addObject().put("sampler", "optuna_nsga2").put("problem", "zdt1");
        b.putArray("hypervolume_per_seed").add(9.1).add(9.2).add(9.3).add(9.4).add(9.5);
        StringWriter sw = new StringWriter();
        MultiObjectiveBench.print(new PrintWriter(sw, true), both);
        String table = sw.toString();
        // 5 vs 5 with no overlap: exact one-sided p = 1 / C(10, 5) = 0.00397
        assertTrue(table.contains("| zdt1 | nsga2_uniform | 10.3000 [0.2000] | optuna_nsga2 | 9.3000 [0.2000] | 1.00 |"
                + " 0.00397 (better) |"), table);
    }
}
