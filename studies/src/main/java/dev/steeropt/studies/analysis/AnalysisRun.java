package dev.steeropt.studies.analysis;

import dev.steeropt.cache.key.Fingerprints;
import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.prompts.PromptVariant;
import dev.steeropt.eval.scoring.Grader;
import dev.steeropt.eval.scoring.Graders;
import dev.steeropt.studies.analysis.reads.Completions;
import dev.steeropt.studies.analysis.reads.ReadMode;
import dev.steeropt.studies.analysis.reads.ResidualReads;
import dev.steeropt.studies.cli.ModelReference;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.pipeline.OptimizePipeline;
import dev.steeropt.studies.spec.PromptKind;
import dev.steeropt.studies.store.StorageUrl;
import dev.steeropt.studies.vectors.CachedActivations;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * What an {@code analyze} command works on, built once from {@link AnalysisInputs}: model A (and B for a cross-model
 * analysis), the items, the prompt variant and token budget (the demo's own for a demo model), the grader, the
 * resolved layers and the {@link AnalysisOutput}. Closing it frees both models.
 */
public final class AnalysisRun implements AutoCloseable {
    /** Generated tokens per item for a demo model: every one- and two-step solution fits (as in {@code optimize}). */
    public static final int DEMO_MAX_NEW_TOKENS = 112;
    /** Generated tokens per item for any other model. */
    public static final int MAX_NEW_TOKENS = 256;
    /** Exemplars of {@code --prompt k-shot}. */
    public static final int K_SHOT = 5;
    /** Size cap of the activation cache in {@code --out/cache}. */
    public static final long CACHE_CAP_BYTES = 1L << 30;

    private final String command;
    private final AnalysisModel a;
    private final AnalysisModel b;
    private final AnalysisData data;
    private final PromptKind promptKind;
    private final PromptVariant variant;
    private final int maxNewTokens;
    private final int[] layers;
    private final StorageUrl storage;
    private final AnalysisOutput output;
    private final PrintWriter err;
    private final Map<GreedyRun, List<int[]>> greedy = new java.util.HashMap<>();
    private ActivationStore cache;

    private AnalysisRun(String command, AnalysisModel a, AnalysisModel b, AnalysisData data, PromptKind promptKind,
            PromptVariant variant, int maxNewTokens, int[] layers, StorageUrl storage, AnalysisOutput output,
            PrintWriter err) {
        this.command = command;
        this.a = a;
        this.b = b;
        this.data = data;
        this.promptKind = promptKind;
        this.variant = variant;
        this.maxNewTokens = maxNewTokens;
        this.layers = layers;
        this.storage = storage;
        this.output = output;
        this.err = err;
    }

    static AnalysisRun open(AnalysisInputs in, String command, ModelReference versus, PrintWriter out,
            PrintWriter err) {
        if (in.maxNewTokens != null && in.maxNewTokens < 1) {
            throw UserFacingException.usage("Invalid --max-new-tokens " + in.maxNewTokens, "an answer needs at least"
                    + " one token", "Pass --max-new-tokens 1 or more.");
        }
        StorageUrl storage = in.storage(command);
        err.println("Loading model " + in.model + " ...");
        AnalysisModel a = AnalysisModel.load(in.model);
        AnalysisModel b = null;
        try {
            int[] layers = in.layers.resolve(a.numLayers());
            if (versus != null) {
                err.println("Loading model " + versus + " ...");
                b = AnalysisModel.load(versus);
            }
            if (in.dataset != DatasetName.SYNTHETIC) {
                in.data.ensure(in.dataset, "train");
                in.data.ensure(in.dataset, "test");
            }
            AnalysisData data = AnalysisData.load(in.dataset, in.split, in.nTrain, in.n, in.seed, in.data.dataDir(),
                    a.dir());
            AnalysisOutput output = new AnalysisOutput(in.outDir(command), out);
            if (in.split == EvalSplit.TEST) {
                TestSplitGuard.claim(storage, in.dataset, command, in.allowTest);
            }
            PromptKind kind = in.prompt != null ? in.prompt : a.demo() ? PromptKind.QUESTION_ANSWER
                    : PromptKind.ZERO_SHOT_COT;
            PromptVariant variant = OptimizePipeline.variant(kind, K_SHOT, in.seed, data.plan(), data.pool(),
                    a.tokenizer(), a.dir());
            int budget = in.maxNewTokens != null ? in.maxNewTokens : a.demo() ? DEMO_MAX_NEW_TOKENS : MAX_NEW_TOKENS;
            return new AnalysisRun(command, a, b, data, kind, variant, budget, layers, storage, output, err);
        } catch (RuntimeException e) {
            if (b != null) {
                b.close();
            }
            a.close();
            throw e;
        }
    }

    /**
     * Refuses models of different shape, for commands that move activations between them ({@link ModelShape}).
     *
     * @param why what needs the same shape, for the message
     * @throws UserFacingException (usage) naming both shapes
     */
    public void requireSameShape(String why) {
        if (b == null) {
            return;
        }
        a.shape().requireSame(b.shape(), why);
    }

    /** The subcommand's name. */
    public String command() {
        return command;
    }

    /** Model A. */
    public AnalysisModel model() {
        return a;
    }

    /** Model B, or null without {@code --versus}. */
    public AnalysisModel versus() {
        return b;
    }

    /** The items. */
    public AnalysisData data() {
        return data;
    }

    /** The prompt variant. */
    public PromptVariant variant() {
        return variant;
    }

    /** Generated tokens per item. */
    public int maxNewTokens() {
        return maxNewTokens;
    }

    /** The layers of {@code --layers}, ascending. */
    public int[] layers() {
        return layers.clone();
    }

    /** The storage URL (for studies and the test-split record). */
    public StorageUrl storage() {
        return storage;
    }

    /** The output helper. */
    public AnalysisOutput output() {
        return output;
    }

    /** Progress and notes (stderr). */
    public PrintWriter err() {
        return err;
    }

    /** The grader of the dataset ({@code \boxed{}} answers for MATH-500). */
    public Grader grader() {
        return Graders.forDataset(data.dataset());
    }

    /** A problem's prompt token ids, through model A's tokenizer (special tokens unless the chat template adds them). */
    public int[] encodePrompt(Problem p) {
        return encode(variant.render(p));
    }

    /** Text through model A's tokenizer, as prompts are encoded. */
    public int[] encode(String text) {
        return a.tokenizer().encode(text, promptKind != PromptKind.CHAT);
    }

    /** The prompts of {@code items}, left-padded into one batch. */
    public PromptBatch batch(List<Problem> items) {
        return PromptBatch.leftPad(items.stream().map(this::encodePrompt).toList(), padId());
    }

    /** Model A's pad id ({@link AnalysisModel#padId}). */
    public int padId() {
        return a.padId();
    }

    /**
     * Residual rows of {@code m} at {@code mode} ({@link ResidualReads#cached}) through the activation cache in
     * {@code --out/cache}, keyed by the model's fingerprint, {@code set} (what the sequences are, e.g.
     * {@code train/probes/prompts}), the items' ids, the prompt variant and the token ids themselves; so another label,
     * penalty or analysis of the same sequences runs no forward for them.
     *
     * @param completions each prompt's generated ids, for {@link ReadMode#MEAN_GENERATED} (else null)
     */
    public Map<Integer, float[][]> residuals(AnalysisModel m, String set, List<String> itemIds, List<int[]> prompts,
            List<int[]> completions, ReadMode mode, List<Integer> layers) {
        if (cache == null) {
            cache = ActivationStore.open(output.dir().resolve("cache"), CACHE_CAP_BYTES);
        }
        CachedActivations.Scope scope = new CachedActivations.Scope(m.fingerprint(), set, Fingerprints.idList(itemIds),
                variant.hash(), "pad=left");
        return ResidualReads.cached(cache, scope, m.model(), prompts, completions, mode, layers, m.padId());
    }

    /**
     * {@code m}'s greedy completion of each prompt ({@link Completions#greedyTokens}, this run's token budget),
     * generated once per model and prompt list in this run: analyses that read the same prompts of the same model at
     * {@link ReadMode#MEAN_GENERATED} (within-model norms and the cross-model direction) share one generation.
     */
    public List<int[]> greedyCompletions(AnalysisModel m, List<int[]> prompts) {
        GreedyRun key = new GreedyRun(m.fingerprint(), prompts.stream().map(java.util.Arrays::toString).toList());
        return greedy.computeIfAbsent(key, k -> Completions.greedyTokens(m.model(), prompts, m.padId(), maxNewTokens));
    }

    private record GreedyRun(String modelFingerprint, List<String> prompts) {}

    @Override
    public void close() {
        try {
            if (b != null) {
                b.close();
            }
        } finally {
            a.close();
        }
    }
}
