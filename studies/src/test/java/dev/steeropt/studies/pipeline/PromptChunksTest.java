package dev.steeropt.studies.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.cache.key.Fingerprints;
import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.model.config.ModelConfig;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.prompts.PromptVariant;
import dev.steeropt.eval.prompts.PromptVariants;
import dev.steeropt.eval.scoring.Graders;
import dev.steeropt.eval.splits.Split;
import dev.steeropt.eval.synthetic.SyntheticDataset;
import dev.steeropt.studies.objective.ItemOutcome;
import dev.steeropt.studies.objective.TrialConfig;
import dev.steeropt.studies.spec.PairBuilder;
import dev.steeropt.studies.spec.SteerMethod;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prompt chunks reused across trials when CAA steers every position: a chunk keeps the input of some blocks, and a
 * trial at layer L reruns only the blocks from the highest kept one at or below L. On the tiny fixture model, every
 * layer's completions equal those of chunks that prefill every pass (exactly: same tokens, so the same text and
 * grades), for kept blocks at every layer and for sparse ones.
 */
class PromptChunksTest {
    private static final int NEW_TOKENS = 6;

    @TempDir
    Path tmp;

    @Test
    void checkpointsKeepEveryLayerWhenTheyCostNoMoreThanTheKvCacheElseAnEvenSpreadFromTheLowest() {
        // tiny-llama-fp32 shape: per token, 4 layers * 2 * 2 kv heads * 16 = 256 KV values = 4 block inputs of 64
        assertEquals(new TreeSet<>(List.of(0, 1, 2, 3)), PromptChunks.residualCheckpoints(config(64, 4, 2, 16), 0, 3));
        assertEquals(new TreeSet<>(List.of(1, 2)), PromptChunks.residualCheckpoints(config(64, 4, 2, 16), 1, 2));
        // SmolLM2-135M shape: 30 layers, 3 kv heads of 64, d_model 576 -> 20 kept of 30, spread, layer 0 included
        SortedSet<Integer> smol = PromptChunks.residualCheckpoints(config(576, 30, 3, 64), 0, 29);
        assertEquals(20, smol.size(), smol.toString());
        assertEquals(0, smol.first());
        for (int l = 0; l < 30; l++) {
            int kept = smol.headSet(l + 1).last();
            assertTrue(l - kept <= 1, "layer " + l + " reruns from " + kept + ": at most one block more than it needs");
        }
        // Llama-3-8B shape: 32 layers, 8 kv heads of 128, d_model 4096 -> 16 of the 8 searched layers: all of them
        assertEquals(new TreeSet<>(IntStream.rangeClosed(10, 17).boxed().toList()),
                PromptChunks.residualCheckpoints(config(4096, 32, 8, 128), 10, 17));
        // one kv head of 8 on a wide model: a single checkpoint, the lowest searched layer
        assertEquals(new TreeSet<>(List.of(5)), PromptChunks.residualCheckpoints(config(1024, 12, 1, 8), 5, 11));
        assertThrows(IllegalArgumentException.class, () -> PromptChunks.residualCheckpoints(config(64, 4, 2, 16), 2, 4));
    }

    @Test
    void allPositionSteeringFromKeptBlockInputsGivesTheCompletionsOfAFullPrefillAtEveryLayer() {
        Path dir = TinyModel.dir();
        try (LoadedModel model = LoadedModel.load(dir); Tokenizer tok = Tokenizer.load(dir)) {
            int n = model.config().numLayers();
            List<Problem> items = SyntheticDataset.generate(11, "train", 10);
            PromptVariant variant = PromptVariants.zeroShotCot();
            List<Integer> layers = IntStream.range(0, n).boxed().toList();
            LayerVectors vectors = VectorBuilder.build(model, Fingerprints.model(dir), layers,
                    Split.of("train", items.subList(0, 4).stream().map(Problem::id).toList()), items.subList(0, 4),
                    variant.hash(), variant::render, t -> tok.encode(t, true),
                    ActivationStore.open(tmp.resolve("cache"), 1 << 20), PairBuilder.ANSWER_OFF_BY_ONE,
                    new Progress(new PrintWriter(new StringWriter())));
            ArmRunner all = new ArmRunner(model, tok, vectors, variant.stopSequences(),
                    Graders.forDataset(DatasetName.SYNTHETIC), NEW_TOKENS, SteerPositions.ALL);
            List<Problem> val = items.subList(4, 10);
            try (PromptChunks fresh = chunks(model, tok, variant, val, false, Set.of());
                    PromptChunks every = chunks(model, tok, variant, val, true, new TreeSet<>(layers));
                    PromptChunks sparse = chunks(model, tok, variant, val, true, Set.of(0, n - 1))) {
                assertEquals(Set.of(0, n - 1), sparse.residualLayers());
                for (int layer = 0; layer < n; layer++) {
                    TrialConfig c = new TrialConfig(SteerMethod.CAA, layer, 2.0, 0.0, Double.NaN);
                    List<ItemOutcome> expected = pass(all, fresh, c);
                    for (int trial = 0; trial < 2; trial++) { // the first pass prefills, the second reuses
                        assertEquals(expected, pass(all, every, c), "layer " + layer + ", every block kept");
                        assertEquals(expected, pass(all, sparse, c), "layer " + layer + ", blocks 0 and " + (n - 1) + " kept");
                    }
                    if (layer < n - 1) { // the last block's output at prompt positions reaches no later token
                        List<ItemOutcome> fromLast = pass(all.withPositions(SteerPositions.FROM_LAST_PROMPT_TOKEN), every, c);
                        assertNotEquals(texts(expected), texts(fromLast), "steering the prompt too changes the"
                                + " completions at layer " + layer);
                    }
                }
            }
        }
    }

    private static PromptChunks chunks(LoadedModel model, Tokenizer tok, PromptVariant variant, List<Problem> items,
            boolean reuse, Set<Integer> keep) {
        int pad = tok.padId().isPresent() ? tok.padId().getAsInt() : tok.eosIds()[0];
        return new PromptChunks(model, items, 2, p -> tok.encode(variant.render(p), true), pad, 11, NEW_TOKENS, reuse,
                keep);
    }

    private static List<ItemOutcome> pass(ArmRunner runner, PromptChunks chunks, TrialConfig config) {
        List<ItemOutcome> out = new ArrayList<>();
        for (int c = 0; c < chunks.size(); c++) {
            out.addAll(runner.run(chunks, c, config));
        }
        return out;
    }

    private static List<String> texts(List<ItemOutcome> outcomes) {
        return outcomes.stream().map(ItemOutcome::completion).toList();
    }

    private static ModelConfig config(int d, int layers, int kvHeads, int headDim) {
        return new ModelConfig("llama", d, 4 * d, layers, kvHeads, kvHeads, headDim, 1000, 4096, 1e-5, null, false, false,
                false, null, 1, List.of(2));
    }
}
