package dev.steeropt.studies.analysis.reads;

import dev.steeropt.core.runtime.GenerationRequest;
import dev.steeropt.core.runtime.GenerationResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.runtime.SamplingParams;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.CompletionMode;
import dev.steeropt.eval.scoring.Grader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Generates and grades completions in batches: greedy ({@link #greedy}), or K samples per problem with a seed per
 * sample ({@link #sampled}); stops at the model's EOS; the token budget is capped so prompt plus answer fits.
 */
public final class Completions {
    /** Rows per generate call. */
    public static final int BATCH = 32;

    private Completions() {}

    /** One greedy completion per problem, in order. */
    public static List<Completion> greedy(LoadedModel model, Tokenizer tok, Grader grader, List<Problem> items,
            Function<Problem, int[]> encode, int pad, int maxNewTokens) {
        List<Row> rows = new ArrayList<>();
        for (Problem p : items) {
            rows.add(new Row(p, 0, encode.apply(p), 0L));
        }
        return run(model, tok, grader, rows, pad, maxNewTokens, 0f);
    }

    /**
     * K sampled completions per problem at {@code temperature}; sample k of problem i draws from seed
     * {@code seed · 1_000_003 + i · K + k}, whatever batch it lands in. Returned problem by problem, samples 1..K.
     */
    public static List<Completion> sampled(LoadedModel model, Tokenizer tok, Grader grader, List<Problem> items,
            Function<Problem, int[]> encode, int pad, int maxNewTokens, int k, float temperature, long seed) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            int[] ids = encode.apply(items.get(i));
            for (int s = 1; s <= k; s++) {
                rows.add(new Row(items.get(i), s, ids, seed * 1_000_003L + (long) i * k + s));
            }
        }
        return run(model, tok, grader, rows, pad, maxNewTokens, temperature);
    }

    private record Row(Problem problem, int sample, int[] prompt, long seed) {}

    /**
     * The greedy completion of each prompt, without grading: generated ids with EOS removed (empty when the model
     * stopped at once), in order.
     */
    public static List<int[]> greedyTokens(LoadedModel model, List<int[]> prompts, int pad, int maxNewTokens) {
        List<int[]> out = new ArrayList<>(prompts.size());
        for (int from = 0; from < prompts.size(); from += BATCH) {
            List<int[]> chunk = prompts.subList(from, Math.min(prompts.size(), from + BATCH));
            for (int[] t : generate(model, chunk, null, 0f, pad, maxNewTokens)) {
                out.add(stripEos(t, model));
            }
        }
        return out;
    }

    private static List<Completion> run(LoadedModel model, Tokenizer tok, Grader grader, List<Row> rows, int pad,
            int maxNewTokens, float temperature) {
        List<Completion> out = new ArrayList<>(rows.size());
        for (int from = 0; from < rows.size(); from += BATCH) {
            List<Row> chunk = rows.subList(from, Math.min(rows.size(), from + BATCH));
            int[][] tokens = generate(model, chunk.stream().map(Row::prompt).toList(),
                    chunk.stream().mapToLong(Row::seed).toArray(), temperature, pad, maxNewTokens);
            for (int i = 0; i < chunk.size(); i++) {
                Row row = chunk.get(i);
                String text = tok.decode(tokens[i], true);
                dev.steeropt.eval.scoring.Grade g = grader.grade(row.problem(), text);
                out.add(new Completion(row.problem(), row.sample(), row.prompt(), stripEos(tokens[i], model),
                        text, g.strict(), g.strictExtracted(), CompletionMode.of(text)));
            }
        }
        return out;
    }

    /** One batched generate call; {@code seeds} per row when sampling (temperature above 0). */
    private static int[][] generate(LoadedModel model, List<int[]> prompts, long[] seeds, float temperature, int pad,
            int maxNewTokens) {
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        int budget = Math.min(maxNewTokens, model.transformer().maxPositions() - longest);
        if (budget < 1) {
            throw new IllegalArgumentException("a prompt of " + longest + " tokens leaves no room in the model's "
                    + model.transformer().maxPositions() + " positions");
        }
        SamplingParams sampling = temperature == 0f ? SamplingParams.greedy()
                : new SamplingParams(temperature, 1f, 0, 0L, seeds);
        GenerationResult r = model.generate(GenerationRequest.builder(PromptBatch.leftPad(prompts, pad))
                .maxNewTokens(budget).sampling(sampling).stopTokenIds(model.eosTokenIds()).build());
        return r.tokens();
    }

    private static int[] stripEos(int[] t, LoadedModel model) {
        int n = t.length;
        while (n > 0 && model.eosTokenIds().contains(t[n - 1])) {
            n--;
        }
        return n == t.length ? t : java.util.Arrays.copyOf(t, n);
    }
}
