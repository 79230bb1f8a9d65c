package dev.steeropt.studies.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.synthetic.SyntheticDataset;
import dev.steeropt.studies.cli.CliRun;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code optimize --bench-reuse} on the tiny fixture model: one section per measured mode (from the last prompt token
 * at the middle layer; all positions at the middle and the highest layer), each with its three timings and every pass
 * producing the same completions with and without reuse. Timings are printed, never asserted.
 */
class ReuseBenchmarkTest {
    @TempDir
    Path tmp;

    @Test
    void benchReuseReportsBothPositionModesAndReuseChangesNoCompletion() throws Exception {
        Path data = tmp.resolve("data");
        List<Problem> pool = SyntheticDataset.generate(2, "train", 8);
        Set<String> keys = new HashSet<>();
        pool.forEach(p -> keys.add(SyntheticDataset.key(p.question())));
        SyntheticDataset.writeJsonl(pool, data.resolve("synthetic/train.jsonl"));
        SyntheticDataset.writeJsonl(SyntheticDataset.generate(2, "test", 4, 0, keys), data.resolve("synthetic/test.jsonl"));
        CliRun r = CliRun.of("optimize", "--model", TinyModel.dir().toString(), "--dataset", "synthetic", "--data-dir",
                data.toString(), "--train-size", "4", "--val-size", "4", "--test-size", "4", "--chunks", "2",
                "--max-new-tokens", "4", "--pairs", "answer_off_by_one", "--output-dir", tmp.resolve("out").toString(),
                "--bench-reuse", "1");
        assertEquals(0, r.exitCode(), r.err());
        String out = r.out();
        assertTrue(out.contains("steer positions from_last_prompt_token: CAA layer 1 alpha 1.0"), out);
        assertTrue(out.contains("steer positions all: CAA layer 1 alpha 1.0"), out);
        assertTrue(out.contains("steer positions all: CAA layer 3 alpha 1.0"), out);
        assertTrue(out.contains("block inputs kept [0, 1, 2, 3]"), out);
        assertTrue(out.contains("trial >= 2 (prompt prefixes reused)") && out.contains("trial >= 2 (blocks < 1 reused)")
                && out.contains("trial >= 2 (blocks < 3 reused)"), out);
        assertEquals(3, out.split("completions identical with and without reuse: yes", -1).length - 1, out);
        assertFalse(out.contains(": NO"), out);
    }
}
