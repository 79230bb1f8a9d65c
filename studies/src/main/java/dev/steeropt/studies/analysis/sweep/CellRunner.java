package dev.steeropt.studies.analysis.sweep;

import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.runtime.PromptState;
import dev.steeropt.core.runtime.SamplingParams;
import dev.steeropt.core.steering.AlphaUnits;
import dev.steeropt.core.steering.SteeredGeneration;
import dev.steeropt.core.steering.SteeredResult;
import dev.steeropt.core.steering.SteeringMethod;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.CompletionMode;
import dev.steeropt.eval.scoring.Grader;
import dev.steeropt.studies.analysis.AnalysisRun;
import dev.steeropt.studies.analysis.directions.DirectionSet;
import dev.steeropt.studies.pipeline.PromptChunks;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs grid cells on the same items: greedy, in batches ({@link PromptChunks}), CAA of the layer's direction at the
 * chosen positions. When the positions spare the prompt prefix, each batch's prompt is prefilled once and reused by
 * every cell ({@code reuse}); a cell of strength 0 is the unsteered baseline. Closing it frees the prefilled caches.
 */
final class CellRunner implements AutoCloseable {
    /** Most rows in one batch: a small model's decode step costs about the same for 1 or 100 rows. */
    static final int MAX_BATCH = 100;

    private final AnalysisRun run;
    private final DirectionSet directions;
    private final SteerPositions positions;
    private final AlphaUnits units;
    private final PromptChunks chunks;
    private final Grader grader;
    private final List<String> stops;

    CellRunner(AnalysisRun run, DirectionSet directions, SteerPositions positions, AlphaUnits units, boolean reuse) {
        this.run = run;
        this.directions = directions;
        this.positions = positions;
        this.units = units;
        List<Problem> items = run.data().evaluated();
        this.chunks = new PromptChunks(run.model().model(), items, (items.size() + MAX_BATCH - 1) / MAX_BATCH, run::encodePrompt,
                run.padId(), 0L, run.maxNewTokens(), reuse && positions.sparesPromptPrefix());
        this.grader = run.grader();
        this.stops = run.variant().stopSequences();
    }

    /** The completions of every item in one cell, in item order. */
    List<Completion> cell(int layer, double strength) {
        SteeringMethod method = strength == 0 ? null
                : new SteeringMethod.Caa(directions.vector(layer), strength, positions, units);
        var tokenizer = run.model().tokenizer();
        SteeredGeneration.Options options = new SteeredGeneration.Options(run.maxNewTokens(), SamplingParams.greedy(),
                run.model().model().eosTokenIds(), stops, stops.isEmpty() ? null : ids -> tokenizer.decode(ids, true),
                false);
        List<Completion> out = new ArrayList<>();
        for (int c = 0; c < chunks.size(); c++) {
            PromptChunks.Chunk chunk = chunks.chunk(c);
            PromptState prefix = chunks.prefix(c);
            SteeredResult r = prefix != null ? SteeredGeneration.generate(run.model().model(), prefix, method, options)
                    : SteeredGeneration.generate(run.model().model(), chunk.batch(), method, options);
            for (SteeredResult.Row row : r.rows()) {
                Problem p = chunk.problems().get(row.row());
                String text = cut(tokenizer.decode(row.tokens(), true));
                out.add(new Completion(p.id(), grader.grade(p, text).flexible(), row.tokens().length, text));
            }
        }
        return out;
    }

    /** One item's completion. */
    record Completion(String itemId, boolean correct, int tokens, String text) {}

    /** The cell's result from its completions. */
    static CellResult result(int layer, double strength, List<Boolean> correct, List<Integer> tokens,
            List<String> texts) {
        int n = correct.size();
        boolean[] c = new boolean[n];
        int[] t = new int[n];
        boolean[] hasty = new boolean[n];
        List<ReasoningCounters> counters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            c[i] = correct.get(i);
            t[i] = tokens.get(i);
            counters.add(ReasoningCounters.of(texts.get(i)));
            hasty[i] = CompletionMode.of(texts.get(i)) == CompletionMode.HASTY;
        }
        return new CellResult(layer, strength, c, t, counters, hasty);
    }

    private String cut(String text) {
        int end = text.length();
        for (String s : stops) {
            int at = text.indexOf(s);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return text.substring(0, end);
    }

    @Override
    public void close() {
        chunks.close();
    }
}
