package dev.steeropt.studies.analysis.directions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.steering.ControlVectorGguf;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.prompts.PromptVariants;
import dev.steeropt.studies.analysis.AnalysisData;
import dev.steeropt.studies.analysis.AnalysisRun;
import dev.steeropt.studies.analysis.EvalSplit;
import dev.steeropt.studies.analysis.reads.Completions;
import dev.steeropt.studies.cli.CliRun;
import dev.steeropt.studies.demo.DemoModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze directions} on the embedded pair: the files, and the cross-model direction against an independent
 * computation (each train prompt run alone, unpadded, through a plain forward of each model; A's mean minus B's), so
 * a sign error, a pad read, a wrong layer offset or a batch mix-up fails.
 */
class DirectionsCommandTest {
    @TempDir
    Path tmp;

    @Test
    void crossModelDirectionsEqualTheMeanDifferenceComputedPromptByPrompt() throws Exception {
        Path out = tmp.resolve("dirs");
        CliRun r = CliRun.of("analyze", "directions", "--model", "demo-hasty", "--versus", "demo-careful",
                "--n-train", "12", "--n", "4", "--seed", "5", "--out", out.toString(), "--gguf",
                tmp.resolve("cv.gguf").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("cross_model directions of demo-hasty minus demo-careful"), r.out());
        DirectionSet set = DirectionSet.read(out);
        assertEquals(List.of(0, 1, 2, 3), set.layers());
        assertEquals(DirectionAnalysis.CROSS, set.metadata().get(DirectionSet.KIND));
        assertNotNull(set.metadata().get(DirectionSet.MODEL_B));

        Path a = DemoModel.byName("demo-hasty").orElseThrow().directory();
        Path b = DemoModel.byName("demo-careful").orElseThrow().directory();
        AnalysisData data = AnalysisData.load(DatasetName.SYNTHETIC, EvalSplit.VALIDATION, 12, 4, 5, tmp.resolve("none"), a);
        assertEquals(data.plan().train().idsHash(), set.metadata().get(DirectionSet.SPLIT_HASH));
        Tokenizer tok = Tokenizer.load(a);
        int layer = 2;
        double[] meanA = meanResidual(a, tok, data.train(), layer);
        double[] meanB = meanResidual(b, tok, data.train(), layer);
        float[] got = set.directions().get(layer);
        double maxDiff = 0;
        double norm = 0;
        for (int i = 0; i < got.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(got[i] - (meanA[i] - meanB[i])));
            norm += got[i] * got[i];
        }
        assertTrue(Math.sqrt(norm) > 0.1, "a real direction, norm " + Math.sqrt(norm));
        assertTrue(maxDiff < 1e-3, "max |difference| " + maxDiff);

        JsonNode json = new ObjectMapper().readTree(out.resolve(DirectionsCommand.JSON).toFile());
        assertEquals(4, json.get("cosine_matrix").size());
        assertEquals(1.0, json.get("cosine_matrix").get(1).get(1).asDouble(), 1e-6);
        assertTrue(json.get("layers").get(2).get("within_vs_cross_cosine").isNumber());
        assertTrue(Files.size(out.resolve(DirectionsCommand.PLOT)) > 1000);
        ControlVectorGguf.Contents cv = ControlVectorGguf.read(tmp.resolve("cv.gguf"));
        assertEquals(List.of(1, 2, 3), List.copyOf(cv.directions().keySet()), "layer 0 has no llama.cpp slot");
        assertEquals(got[7], cv.directions().get(layer)[7], 0f);
    }

    /**
     * At {@code mean_generated} each model is read over its own greedy completion: catches B read over A's completion
     * (a shared generation), the prompt's positions in the mean, or a pad position.
     */
    @Test
    void meanGeneratedCrossModelDirectionsReadEachModelOverItsOwnCompletion() throws Exception {
        Path out = tmp.resolve("mean");
        CliRun r = CliRun.of("analyze", "directions", "--model", "demo-hasty", "--versus", "demo-careful", "--read",
                "mean_generated", "--layers", "2", "--n-train", "8", "--n", "2", "--seed", "5", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        float[] got = DirectionSet.read(out).directions().get(2);
        Path a = DemoModel.byName("demo-hasty").orElseThrow().directory();
        Path b = DemoModel.byName("demo-careful").orElseThrow().directory();
        AnalysisData data = AnalysisData.load(DatasetName.SYNTHETIC, EvalSplit.VALIDATION, 8, 2, 5, tmp.resolve("none"), a);
        Tokenizer tok = Tokenizer.load(a);
        List<int[]> prompts = data.train().stream().map(p -> tok.encode(PromptVariants.questionAnswer().render(p), true))
                .toList();
        double[] meanA = meanOverOwnCompletion(a, prompts, tok.eosIds()[0]);
        double[] meanB = meanOverOwnCompletion(b, prompts, tok.eosIds()[0]);
        double maxDiff = 0;
        for (int i = 0; i < got.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(got[i] - (meanA[i] - meanB[i])));
        }
        assertTrue(maxDiff < 1e-3, "max |difference| " + maxDiff);
    }

    /** The mean over prompts of each prompt's mean layer-2 residual over its own completion, each sequence alone. */
    private static double[] meanOverOwnCompletion(Path dir, List<int[]> prompts, int pad) {
        try (LoadedModel m = LoadedModel.load(dir)) {
            List<int[]> completions = Completions.greedyTokens(m, prompts, pad, AnalysisRun.DEMO_MAX_NEW_TOKENS);
            int d = m.config().hiddenSize();
            double[] sum = new double[d];
            for (int k = 0; k < prompts.size(); k++) {
                int[] p = prompts.get(k);
                int[] c = completions.get(k);
                assertTrue(c.length > 0, "prompt " + k + " generated nothing");
                int[] ids = java.util.Arrays.copyOf(p, p.length + c.length);
                System.arraycopy(c, 0, ids, p.length, c.length);
                float[] h = m.forward(PromptBatch.single(ids), List.of(HookPoint.residPost(2)), Transformer.Logits.NONE,
                        dev.steeropt.core.hooks.HookSet.empty()).activation(HookPoint.residPost(2));
                for (int t = p.length; t < ids.length; t++) {
                    for (int i = 0; i < d; i++) {
                        sum[i] += h[t * d + i] / c.length / prompts.size();
                    }
                }
            }
            return sum;
        }
    }

    @Test
    void withinModelDirectionsAndBadInput() {
        Path out = tmp.resolve("within");
        CliRun r = CliRun.of("analyze", "directions", "--model", "demo-hasty", "--layers", "1,3", "--n-train", "8",
                "--n", "2", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        DirectionSet set = DirectionSet.read(out);
        assertEquals(List.of(1, 3), set.layers());
        assertEquals("careful_vs_hasty", set.metadata().get(DirectionSet.CONTRAST));

        CliRun bad = CliRun.of("analyze", "directions", "--layers", "2-9", "--n-train", "4", "--n", "2", "--out",
                tmp.resolve("bad").toString());
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(errorLine(bad).startsWith("Error: Invalid --layers '2-9'"), bad.err());
        assertFalse(bad.err().contains("Exception"), bad.err());
        CliRun form = CliRun.of("analyze", "directions", "--layers", "one", "--out", tmp.resolve("bad").toString());
        assertEquals(2, form.exitCode());
        assertTrue(errorLine(form).contains("a-b"), form.err());

        Path tiny = Path.of("../steering-core/src/test/resources/models/tiny-llama-fp32").toAbsolutePath();
        CliRun shape = CliRun.of("analyze", "directions", "--versus", tiny.toString(), "--n-train", "4", "--n", "2",
                "--out", tmp.resolve("shape").toString());
        assertEquals(2, shape.exitCode(), shape.err());
        assertTrue(errorLine(shape).startsWith("Error: Models demo-hasty (4 layers, width 192)") && shape.err().contains(
                "differ in shape"), shape.err());
    }

    /** The one {@code Error:} line of a failed run (progress lines come before it). */
    static String errorLine(CliRun r) {
        List<String> lines = r.err().lines().filter(l -> l.startsWith("Error:")).toList();
        assertEquals(1, lines.size(), r.err());
        return lines.get(0);
    }

    private static double[] meanResidual(Path dir, Tokenizer tok, List<Problem> items, int layer) {
        try (LoadedModel m = LoadedModel.load(dir)) {
            double[] sum = new double[m.config().hiddenSize()];
            for (Problem p : items) {
                int[] ids = tok.encode(PromptVariants.questionAnswer().render(p), true);
                var fr = m.forward(PromptBatch.single(ids), List.of(HookPoint.residPost(layer)), Transformer.Logits.NONE,
                        dev.steeropt.core.hooks.HookSet.empty());
                float[] h = fr.activation(HookPoint.residPost(layer));
                int d = sum.length;
                for (int i = 0; i < d; i++) {
                    sum[i] += h[(ids.length - 1) * d + i];
                }
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] /= items.size();
            }
            return sum;
        }
    }
}
