package dev.steeropt.studies.analysis;

import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.runtime.GenerationRequest;
import dev.steeropt.core.runtime.GenerationResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.runtime.SamplingParams;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.CompletionMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Greedy generation of the evaluated items under any {@link HookSet} (an ablation, a patch, nothing), in batches of
 * up to {@value #MAX_BATCH} rows with the KV cache, each completion cut at the prompt variant's stop sequences and
 * graded (flexible) with the dataset's grader.
 */
public final class GradedGeneration {
    /** Most rows in one batch. */
    public static final int MAX_BATCH = 100;

    private GradedGeneration() {}

    /** One item's graded completion. */
    public record Completion(String itemId, boolean correct, int tokens, String text) {
        /** The demo world's answer mode of the completion. */
        public CompletionMode mode() {
            return CompletionMode.of(text);
        }
    }

    /**
     * Generates the items under {@code hooks(batchStart)}, in item order; the hooks of a batch see caller rows
     * {@code 0..batchSize-1}, and {@code batchStart} is the batch's first item index (so a patch can map rows to its
     * source).
     */
    public static List<Completion> run(AnalysisRun run, LoadedModel model, List<Problem> items,
            java.util.function.IntFunction<HookSet> hooks) {
        var tokenizer = run.model().tokenizer();
        List<String> stops = run.variant().stopSequences();
        List<Completion> out = new ArrayList<>();
        for (int start = 0; start < items.size(); start += MAX_BATCH) {
            List<Problem> part = items.subList(start, Math.min(items.size(), start + MAX_BATCH));
            PromptBatch batch = run.batch(part);
            GenerationResult r = model.generate(GenerationRequest.builder(batch).maxNewTokens(run.maxNewTokens())
                    .sampling(SamplingParams.greedy()).stopTokenIds(model.eosTokenIds()).stopStrings(stops)
                    .decoder(stops.isEmpty() ? null : ids -> tokenizer.decode(ids, true)).hooks(hooks.apply(start))
                    .build());
            for (GenerationResult.Sequence s : r.sequences()) {
                Problem p = part.get(s.row());
                String text = cut(tokenizer.decode(s.tokens(), true), stops);
                out.add(new Completion(p.id(), run.grader().grade(p, text).flexible(), s.tokens().length, text));
            }
        }
        return out;
    }

    /** The completion up to the first stop sequence. */
    public static String cut(String text, List<String> stops) {
        int end = text.length();
        for (String s : stops) {
            int at = text.indexOf(s);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return text.substring(0, end);
    }

    /** The per-item grades. */
    public static boolean[] correct(List<Completion> cs) {
        boolean[] out = new boolean[cs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = cs.get(i).correct();
        }
        return out;
    }
}
