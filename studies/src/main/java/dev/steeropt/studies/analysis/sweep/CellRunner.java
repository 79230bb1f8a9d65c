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
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.runtime.GenerationRequest;
import dev.steeropt.core.runtime.GenerationResult;
import dev.steeropt.core.runtime.PromptBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private final boolean reusePrefix;
    private final boolean reuse;
    private final Map<Integer, PromptState> repeatedPrefix = new HashMap<>();

    CellRunner(AnalysisRun run, DirectionSet directions, SteerPositions positions, AlphaUnits units, boolean reuse) {
        this.run = run;
        this.directions = directions;
        this.positions = positions;
        this.units = units;
        List<Problem> items = run.data().evaluated();
        this.chunks = new PromptChunks(run.model().model(), items, (items.size() + MAX_BATCH - 1) / MAX_BATCH, run::encodePrompt,
                run.padId(), 0L, run.maxNewTokens(), reuse && positions.sparesPromptPrefix());
        this.reuse = reuse;
        this.reusePrefix = reuse && positions.sparesPromptPrefix();
        this.grader = run.grader();
        this.stops = run.variant().stopSequences();
    }

    /** True for the benchmark's reference loop (no reuse of any kind: every cell runs, strength 0 too). */
    boolean isReference() {
        return !reuse;
    }

    /** True when {@link #cells} may run several strengths in one batch (the prompt prefix is never steered). */
    boolean batchesCells() {
        return reusePrefix;
    }

    /**
     * The completions of several cells of one layer at once, strength by strength in item order: each batch of
     * items repeated once per strength, every row steered with its own strength ({@link RowStrengthAddition}), the
     * repeated prompts prefilled once and reused for every layer.
     */
    Map<Double, List<Completion>> cells(int layer, List<Double> strengths) {
        float[] v = units.direction(directions.vector(layer));
        var model = run.model().model();
        var tokenizer = run.model().tokenizer();
        Map<Double, List<Completion>> out = new LinkedHashMap<>();
        strengths.forEach(s -> out.put(s, new ArrayList<>()));
        int k = strengths.size();
        for (int c = 0; c < chunks.size(); c++) {
            PromptChunks.Chunk chunk = chunks.chunk(c);
            int rows = chunk.problems().size();
            PromptState prefix = repeated(c, k);
            float[] strength = new float[rows * k];
            for (int i = 0; i < k; i++) {
                java.util.Arrays.fill(strength, i * rows, (i + 1) * rows, strengths.get(i).floatValue());
            }
            GenerationResult r = model.generate(GenerationRequest.builder(prefix).maxNewTokens(run.maxNewTokens())
                    .sampling(SamplingParams.greedy()).stopTokenIds(model.eosTokenIds()).stopStrings(stops)
                    .decoder(stops.isEmpty() ? null : ids -> tokenizer.decode(ids, true))
                    .hooks(HookSet.of(HookPoint.residPost(layer), new RowStrengthAddition(v, strength, positions)))
                    .build());
            if (!reusePrefix) {
                prefix.close();
                repeatedPrefix.remove(c);
            }
            for (GenerationResult.Sequence seq : r.sequences()) {
                Problem p = chunk.problems().get(seq.row() % rows);
                String text = cut(tokenizer.decode(seq.tokens(), true));
                out.get(strengths.get(seq.row() / rows)).add(new Completion(p.id(), grader.grade(p, text).flexible(),
                        seq.tokens().length, text));
            }
        }
        return out;
    }

    /** Chunk {@code c}'s prompts repeated {@code k} times, prefilled (kept while the runner is open, if reusing). */
    private PromptState repeated(int c, int k) {
        PromptState st = repeatedPrefix.get(c);
        if (st != null && st.batch().batchSize() == k * chunks.chunk(c).problems().size()) {
            return st;
        }
        if (st != null) {
            st.close();
        }
        PromptChunks.Chunk chunk = chunks.chunk(c);
        List<int[]> ids = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            for (Problem p : chunk.problems()) {
                ids.add(run.encodePrompt(p));
            }
        }
        st = run.model().model().prefill(PromptBatch.leftPad(ids, run.padId()), run.maxNewTokens(), HookSet.empty());
        repeatedPrefix.put(c, st);
        return st;
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
        repeatedPrefix.values().forEach(PromptState::close);
        repeatedPrefix.clear();
        chunks.close();
    }
}
