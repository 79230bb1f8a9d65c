package dev.steeropt.studies.pipeline;

import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.model.config.ModelConfig;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.runtime.PromptState;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.eval.datasets.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The items of one split, rendered, tokenised and cut into chunks once per process. With reuse on, each chunk's
 * prompt prefix (every token but the last) is prefilled the first time it is needed and kept in a
 * {@link PromptState} for every later trial: steering from the last prompt token on leaves the prefix unchanged, so
 * the prefix does not depend on the trial. Steering at every position (the study's {@code steer_positions all})
 * changes the prefix only from the steered layer on, so the chunk also keeps the input of some blocks
 * ({@link #residualCheckpoints}) and a trial at layer L reruns the prompt from the highest kept block at or below L.
 * Each chunk's prefilled state owns its KV cache and kept block inputs; {@link #close()} frees them all.
 */
public final class PromptChunks implements AutoCloseable {
    private final LoadedModel model;
    private final List<Chunk> chunks;
    private final int maxNewTokens;
    private final boolean reuse;
    private final Set<Integer> residualLayers;

    /** One chunk: problems in order, their left-padded prompts, their sampling seeds, and the prefill once made. */
    public static final class Chunk {
        private final List<Problem> problems;
        private final PromptBatch batch;
        private final long[] rowSeeds;
        private PromptState state;

        Chunk(List<Problem> problems, PromptBatch batch, long[] rowSeeds) {
            this.problems = List.copyOf(problems);
            this.batch = batch;
            this.rowSeeds = rowSeeds;
        }

        /** The problems, in row order. */
        public List<Problem> problems() {
            return problems;
        }

        /** The prompts. */
        public PromptBatch batch() {
            return batch;
        }

        /** Per-row sampling seeds. */
        public long[] rowSeeds() {
            return rowSeeds.clone();
        }
    }

    /**
     * @param problems     the split's items, in order
     * @param nChunks      chunks (sizes differ by at most one)
     * @param encode       problem to prompt token ids
     * @param padId        id in pad slots
     * @param studySeed    for the per-item seeds
     * @param maxNewTokens sizes the prefilled caches
     * @param reuse        keep prefilled prefixes across calls
     */
    public PromptChunks(LoadedModel model, List<Problem> problems, int nChunks, Function<Problem, int[]> encode,
            int padId, long studySeed, int maxNewTokens, boolean reuse) {
        this(model, problems, nChunks, encode, padId, studySeed, maxNewTokens, reuse, Set.of());
    }

    /**
     * As above, also keeping the input of the blocks in {@code residualLayers} with each prefilled prefix (for
     * steering at every position; empty for none).
     */
    public PromptChunks(LoadedModel model, List<Problem> problems, int nChunks, Function<Problem, int[]> encode,
            int padId, long studySeed, int maxNewTokens, boolean reuse, Set<Integer> residualLayers) {
        this.model = Objects.requireNonNull(model, "model");
        this.residualLayers = Set.copyOf(residualLayers);
        if (nChunks < 1 || nChunks > problems.size()) {
            throw new IllegalArgumentException("need 1 <= chunks <= " + problems.size() + " items, got " + nChunks);
        }
        this.maxNewTokens = maxNewTokens;
        this.reuse = reuse;
        this.chunks = new ArrayList<>();
        int n = problems.size();
        for (int c = 0; c < nChunks; c++) {
            List<Problem> part = problems.subList(c * n / nChunks, (c + 1) * n / nChunks);
            List<int[]> ids = new ArrayList<>();
            long[] seeds = new long[part.size()];
            for (int i = 0; i < part.size(); i++) {
                int[] prompt = encode.apply(part.get(i));
                if (prompt.length + maxNewTokens > model.config().maxPositions()) {
                    throw UserFacingException.usage("The prompt of item " + part.get(i).id() + " has " + prompt.length
                            + " tokens", "with " + maxNewTokens + " new tokens it exceeds the model's "
                            + model.config().maxPositions() + " positions", "Lower --max-new-tokens, or use a"
                            + " shorter prompt variant (--prompt zero-shot-cot, fewer --k-shot).");
                }
                ids.add(prompt);
                seeds[i] = ItemSeeds.of(studySeed, part.get(i).id());
            }
            chunks.add(new Chunk(part, PromptBatch.leftPad(ids, padId), seeds));
        }
    }

    /**
     * The blocks whose input a chunk keeps for steering at every position over layers {@code low..high}: every one of
     * them when that costs no more memory than the prefix's KV cache of all layers (per token, {@code k · d_model}
     * values against {@code N · 2 · n_kv_heads · d_head}), else that many evenly spaced ones, always {@code low}
     * included, so that a trial at layer L reruns fewer than {@code ⌈(high − low + 1) / k⌉} blocks below L.
     */
    public static SortedSet<Integer> residualCheckpoints(ModelConfig c, int low, int high) {
        if (low < 0 || high < low || high >= c.numLayers()) {
            throw new IllegalArgumentException("layers " + low + ".." + high + " are not within 0.." + (c.numLayers() - 1));
        }
        int span = high - low + 1;
        long kvPerToken = 2L * c.numLayers() * c.numKvHeads() * c.headDim();
        int k = (int) Math.max(1, Math.min(span, kvPerToken / c.hiddenSize()));
        SortedSet<Integer> out = new TreeSet<>();
        for (int i = 0; i < k; i++) {
            out.add(low + (int) ((long) i * span / k));
        }
        return out;
    }

    /** The blocks whose input each prefilled prefix keeps (empty unless steering covers the prompt). */
    public Set<Integer> residualLayers() {
        return residualLayers;
    }

    /** Number of chunks. */
    public int size() {
        return chunks.size();
    }

    /** Total items. */
    public int items() {
        return chunks.stream().mapToInt(c -> c.problems.size()).sum();
    }

    /** Whether prefixes are reused. */
    public boolean reuse() {
        return reuse;
    }

    /** Chunk {@code i}. */
    public Chunk chunk(int i) {
        return chunks.get(i);
    }

    /** Total prompt tokens (for estimates). */
    public long promptTokens() {
        long t = 0;
        for (Chunk c : chunks) {
            for (int len : c.batch.promptLengths()) {
                t += len;
            }
        }
        return t;
    }

    /**
     * The reusable prefilled prefix of chunk {@code i}, made on first use; null when reuse is off. Synchronized: a
     * chunk is prefilled once even if several threads ask.
     */
    public synchronized PromptState prefix(int i) {
        if (!reuse) {
            return null;
        }
        Chunk c = chunks.get(i);
        if (c.state == null) {
            c.state = residualLayers.isEmpty() ? model.prefill(c.batch, maxNewTokens, HookSet.empty())
                    : model.prefill(c.batch, maxNewTokens, residualLayers);
        }
        return c.state;
    }

    /** Frees every prefilled cache. */
    @Override
    public synchronized void close() {
        for (Chunk c : chunks) {
            if (c.state != null) {
                c.state.close();
                c.state = null;
            }
        }
    }
}
