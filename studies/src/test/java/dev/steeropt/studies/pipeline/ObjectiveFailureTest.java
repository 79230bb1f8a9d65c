package dev.steeropt.studies.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.cache.key.Fingerprints;
import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.prompts.PromptVariant;
import dev.steeropt.eval.prompts.PromptVariants;
import dev.steeropt.eval.scoring.Graders;
import dev.steeropt.eval.splits.Split;
import dev.steeropt.eval.synthetic.SyntheticDataset;
import dev.steeropt.optimizer.pruners.NopPruner;
import dev.steeropt.optimizer.samplers.RandomSampler;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.objective.ParamMapping;
import dev.steeropt.studies.objective.SteeringObjective;
import dev.steeropt.studies.spec.Metric;
import dev.steeropt.studies.spec.PairBuilder;
import dev.steeropt.studies.spec.SearchSpaceSpec;
import dev.steeropt.studies.spec.Specs;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The objective on the real runtime and a real SQLite study: a trial that throws (here: a layer without a steering
 * vector) is FAIL with its reason and no value, never 0.0, and the study goes on; a good trial reports after every
 * chunk and completes.
 */
class ObjectiveFailureTest {
    @TempDir
    Path tmp;

    @Test
    void aThrowingTrialIsFailWithItsReasonAndTheNextTrialCompletes() {
        Path dir = TinyModel.dir();
        try (LoadedModel model = LoadedModel.load(dir); Tokenizer tok = Tokenizer.load(dir);
                JdbcTrialStore store = TrialStores.open("sqlite:///" + tmp.resolve("s.db"), StoreOptions.DEFAULTS)) {
            List<Problem> items = SyntheticDataset.generate(3, "train", 8);
            PromptVariant variant = PromptVariants.zeroShotCot();
            LayerVectors vectors = VectorBuilder.build(model, Fingerprints.model(dir), List.of(0),
                    Split.of("train", items.subList(0, 4).stream().map(Problem::id).toList()), items.subList(0, 4),
                    variant.hash(), variant::render, t -> tok.encode(t, true),
                    ActivationStore.open(tmp.resolve("cache"), 1 << 20), PairBuilder.ANSWER_OFF_BY_ONE, new Progress(new PrintWriter(new StringWriter())));
            ArmRunner runner = new ArmRunner(model, tok, vectors, variant.stopSequences(),
                    Graders.forDataset(DatasetName.SYNTHETIC), 4);
            try (PromptChunks chunks = new PromptChunks(model, items.subList(4, 8), 2,
                    p -> tok.encode(variant.render(p), true), tok.eosIds()[0], 3, 4, true)) {
                Study study = Study.builder().store(store).name("fail").direction(StudyDirection.MAXIMIZE)
                        .sampler(new RandomSampler(1)).pruner(new NopPruner()).create();
                study.enqueueTrial(Map.of("layer", 3, "alpha", 1.0, "method", "CAA", "temperature", 0.0), Map.of(), false);
                study.enqueueTrial(Map.of("layer", 0, "alpha", 1.0, "method", "CAA", "temperature", 0.0), Map.of(), false);
                SteeringObjective objective = new SteeringObjective(new ParamMapping(Specs.overlay(
                        SearchSpaceSpec.defaults(4), "{\"method\":[\"CAA\"]}")), new ValidationChunks(runner, chunks),
                        Metric.FLEXIBLE);
                study.optimize(objective, 2, null, List.of(Exception.class), List.of());

                List<FrozenTrial> trials = store.getAllTrials(study.studyId(), null);
                FrozenTrial failed = trials.get(0);
                assertEquals(TrialState.FAIL, failed.state());
                assertNull(failed.values(), "a failed trial has no value (never a sentinel 0.0)");
                assertTrue(failed.intermediateValues().isEmpty());
                String reason = String.valueOf(failed.systemAttrs().get("fail_reason"));
                assertTrue(reason.contains("no steering vector for layer 3") && reason.contains("[0]"), reason);

                FrozenTrial ok = trials.get(1);
                assertEquals(TrialState.COMPLETE, ok.state(), "the study goes on after a failure");
                assertEquals(List.of(2, 4), List.copyOf(ok.intermediateValues().keySet()),
                        "one report per chunk, step = items graded");
                assertEquals(ok.intermediateValues().get(4), ok.value(), 0.0);
                assertEquals(4, ((Number) ok.userAttrs().get("items_graded")).intValue());
                assertTrue(ok.userAttrs().containsKey("strict_accuracy") && ok.userAttrs().containsKey("seconds")
                        && ok.userAttrs().containsKey("mean_generated_tokens"), ok.userAttrs().toString());
            }
        }
    }
}
