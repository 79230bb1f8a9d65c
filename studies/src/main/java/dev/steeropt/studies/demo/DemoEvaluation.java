package dev.steeropt.studies.demo;

import dev.steeropt.core.runtime.GenerationRequest;
import dev.steeropt.core.runtime.GenerationResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.CompletionMode;
import dev.steeropt.eval.scoring.Grader;
import dev.steeropt.eval.scoring.Graders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Greedy accuracy of a model on synthetic problems, per difficulty: prompts {@link DemoData#prompt} encoded by the
 * model's own tokenizer (with its BOS), greedy generation through {@link LoadedModel#generate} until EOS, graded by
 * the GSM8K grader (strict {@code #### N} match).
 */
public final class DemoEvaluation {

    private DemoEvaluation() {}

    /** Correct and total items at one difficulty. */
    public record Accuracy(int difficulty, int correct, int total) {
        public Accuracy {
            if (correct < 0 || correct > total) {
                throw new IllegalArgumentException("correct must be in [0, total], got " + correct + " of " + total);
            }
        }

        /** correct / total (NaN when empty). */
        public double rate() {
            return total == 0 ? Double.NaN : correct / (double) total;
        }
    }

    /** One graded item; {@code mode} is {@link CompletionMode#of} the completion. */
    public record Outcome(Problem problem, int difficulty, String completion, boolean correct, CompletionMode mode) {}

    /**
     * How many completions at one difficulty (0 = all) were in each mode, and how many of each were correct.
     *
     * @param counts  completions per mode
     * @param correct correct completions per mode
     */
    public record Modes(int difficulty, Map<CompletionMode, Integer> counts, Map<CompletionMode, Integer> correct) {
        public Modes {
            counts = Map.copyOf(counts);
            correct = Map.copyOf(correct);
        }

        /** Completions counted. */
        public int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** Share of completions in {@code mode} (NaN when empty). */
        public double share(CompletionMode mode) {
            return total() == 0 ? Double.NaN : counts.getOrDefault(mode, 0) / (double) total();
        }

        /** Accuracy of the completions in {@code mode} (NaN when there are none). */
        public double accuracy(CompletionMode mode) {
            int n = counts.getOrDefault(mode, 0);
            return n == 0 ? Double.NaN : correct.getOrDefault(mode, 0) / (double) n;
        }
    }

    /**
     * Generates and grades every problem (batches of {@code batchSize}, in order).
     *
     * @param maxNewTokens per item; capped so that prompt plus answer fits the model's positions
     */
    public static List<Outcome> run(LoadedModel model, Tokenizer tokenizer, List<Problem> problems, int batchSize,
            int maxNewTokens) {
        return run(model, tokenizer, problems, batchSize, maxNewTokens, dev.steeropt.core.hooks.HookSet.empty());
    }

    /** As {@link #run(LoadedModel, Tokenizer, List, int, int)}, generating with {@code hooks} (e.g. a steering vector). */
    public static List<Outcome> run(LoadedModel model, Tokenizer tokenizer, List<Problem> problems, int batchSize,
            int maxNewTokens, dev.steeropt.core.hooks.HookSet hooks) {
        return run(model, tokenizer, problems, batchSize, maxNewTokens, hooks, p -> "");
    }

    /**
     * As {@link #run(LoadedModel, Tokenizer, List, int, int, dev.steeropt.core.hooks.HookSet)}, with the start of each
     * answer given: {@code answerStart} is appended to the prompt and counts as the completion's first characters
     * (e.g. the gold answer's first character, to force the worked chain).
     */
    public static List<Outcome> run(LoadedModel model, Tokenizer tokenizer, List<Problem> problems, int batchSize,
            int maxNewTokens, dev.steeropt.core.hooks.HookSet hooks, java.util.function.Function<Problem, String> answerStart) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Grader grader = Graders.gsm8k();
        int pad = tokenizer.padId().orElse(tokenizer.eosIds()[0]);
        List<Outcome> out = new ArrayList<>(problems.size());
        for (int from = 0; from < problems.size(); from += batchSize) {
            List<Problem> chunk = problems.subList(from, Math.min(problems.size(), from + batchSize));
            List<int[]> prompts = new ArrayList<>();
            int longest = 0;
            for (Problem p : chunk) {
                int[] ids = tokenizer.encode(DemoData.prompt(p.question()) + answerStart.apply(p), true);
                prompts.add(ids);
                longest = Math.max(longest, ids.length);
            }
            int budget = Math.min(maxNewTokens, model.transformer().maxPositions() - longest);
            if (budget < 1) {
                throw new IllegalArgumentException("a prompt of " + longest + " tokens leaves no room in the model's "
                        + model.transformer().maxPositions() + " positions");
            }
            GenerationResult r = model.generate(GenerationRequest.builder(PromptBatch.leftPad(prompts, pad))
                    .maxNewTokens(budget).stopTokenIds(model.eosTokenIds()).hooks(hooks).build());
            int[][] tokens = r.tokens();
            for (int i = 0; i < chunk.size(); i++) {
                Problem p = chunk.get(i);
                String completion = answerStart.apply(p) + tokenizer.decode(tokens[i], true);
                out.add(new Outcome(p, difficulty(p), completion, grader.grade(p, completion).strict(),
                        CompletionMode.of(completion)));
            }
        }
        return out;
    }

    /** Accuracy per difficulty (ascending), from graded items. */
    public static List<Accuracy> byDifficulty(List<Outcome> outcomes) {
        Map<Integer, int[]> counts = new TreeMap<>();
        for (Outcome o : outcomes) {
            int[] c = counts.computeIfAbsent(o.difficulty(), k -> new int[2]);
            c[0] += o.correct() ? 1 : 0;
            c[1]++;
        }
        List<Accuracy> out = new ArrayList<>();
        counts.forEach((d, c) -> out.add(new Accuracy(d, c[0], c[1])));
        return out;
    }

    /** Mode counts per difficulty (ascending), then over all items (difficulty 0) last. */
    public static List<Modes> modesByDifficulty(List<Outcome> outcomes) {
        Map<Integer, List<Outcome>> byLevel = new TreeMap<>();
        for (Outcome o : outcomes) {
            byLevel.computeIfAbsent(o.difficulty(), k -> new ArrayList<>()).add(o);
        }
        List<Modes> out = new ArrayList<>();
        byLevel.forEach((d, os) -> out.add(modes(d, os)));
        out.add(modes(0, outcomes));
        return out;
    }

    private static Modes modes(int difficulty, List<Outcome> outcomes) {
        Map<CompletionMode, Integer> counts = new java.util.EnumMap<>(CompletionMode.class);
        Map<CompletionMode, Integer> correct = new java.util.EnumMap<>(CompletionMode.class);
        for (CompletionMode m : CompletionMode.values()) {
            counts.put(m, 0);
            correct.put(m, 0);
        }
        for (Outcome o : outcomes) {
            counts.merge(o.mode(), 1, Integer::sum);
            correct.merge(o.mode(), o.correct() ? 1 : 0, Integer::sum);
        }
        return new Modes(difficulty, counts, correct);
    }

    /** Overall accuracy (difficulty 0 in the record). */
    public static Accuracy overall(List<Outcome> outcomes) {
        int correct = 0;
        for (Outcome o : outcomes) {
            correct += o.correct() ? 1 : 0;
        }
        return new Accuracy(0, correct, outcomes.size());
    }

    private static int difficulty(Problem p) {
        String d = p.metadata().get("difficulty");
        if (d == null) {
            throw new IllegalArgumentException("problem " + p.id() + " has no difficulty in its metadata; use synthetic problems");
        }
        return Integer.parseInt(d);
    }
}
