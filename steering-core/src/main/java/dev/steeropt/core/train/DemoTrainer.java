package dev.steeropt.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.steeropt.core.model.io.SafetensorsWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Trains a {@link TrainableLlama} on character-level sequences and writes it as a Hugging Face model directory.
 *
 * {@snippet :
 * TrainConfig cfg = DemoTrainer.defaults();
 * TrainingResult r = DemoTrainer.train(cfg, i -> new TrainingExample("Question: ...\nAnswer:", " ... #### 7"),
 *         Path.of("/tmp/demo"), new PrintWriter(System.err, true), InstantSource.system(), 0);
 * }
 *
 * <p>Each sequence is {@code <s> prompt answer </s>} in {@link CharVocabulary} ids; the loss is the next-token
 * cross-entropy on the answer's characters and on {@code </s>}. Examples are taken in index order 0, 1, 2, ... from the
 * source (a fixed data order) in pools of {@value #POOL_BATCHES} batches; within a pool the sequences are sorted by
 * length and cut into batches of {@code batchSize}, which run in a seeded order, right-padded (so a batch pads little);
 * sequences longer than the model's positions are skipped and counted. The learning rate follows
 * {@link TrainConfig#learningRateAt(int, double)}; updates are AdamW with global-norm
 * clipping. Weights are initialised from the config's seed; with the same source and config, the run is repeatable up
 * to the float reduction order of PyTorch's CPU kernels.
 */
public final class DemoTrainer {

    private DemoTrainer() {}

    /** Supplies training example {@code index}; must be deterministic. */
    @FunctionalInterface
    public interface ExampleSource {
        TrainingExample example(long index);
    }

    /** Batches in a row with a non-finite gradient after which training stops as diverged (each one is skipped). */
    static final int MAX_NON_FINITE_IN_A_ROW = 5;

    /** The default time budget: {@value #DEFAULT_MINUTES} minutes. */
    public static final int DEFAULT_MINUTES = 15;

    /**
     * The demo model's defaults: d_model 192, 4 layers, 4 heads (d_head 48), SwiGLU 512, 320 positions, batch 16,
     * 1,350 steps, peak learning rate 2e-3 after 60 warm-up steps, cosine to 1e-4, weight decay 0.1, clip 1.0, seed 1,
     * a {@value #DEFAULT_MINUTES}-minute budget (on an idle 2-core machine the steps end well before it; on a busy
     * one the schedule follows the clock, see {@link TrainConfig#learningRateAt(int, double)}).
     */
    public static TrainConfig defaults() {
        return new TrainConfig(192, 4, 4, 512, 320, 10000.0, 16, 1350, DEFAULT_MINUTES * 60_000L, 2e-3, 1e-4, 60, 0.1,
                1.0, 1);
    }

    private static double budgetUsed(TrainConfig config, long elapsedMs) {
        return config.maxMillis() > 0 ? elapsedMs / (double) config.maxMillis() : 0;
    }

    /**
     * Trains and writes {@code config.json}, {@code generation_config.json}, {@code model.safetensors} (F16) and the
     * tokenizer files into {@code outDir}.
     *
     * @param progress where the progress bar goes (stderr in the CLI), or null for none
     * @param clock    time source for the budget, throughput and ETA
     * @param threads  PyTorch intra-op threads, or 0 to keep the engine's setting (one thread is faster when the
     *                 cores are busy with other work)
     * @throws IllegalStateException if the loss or the gradient norm stops being finite
     */
    public static TrainingResult train(TrainConfig config, ExampleSource source, Path outDir, PrintWriter progress,
            InstantSource clock, int threads) {
        return train(config, source, outDir, progress, clock, threads, null);
    }

    /**
     * As {@link #train(TrainConfig, ExampleSource, Path, PrintWriter, InstantSource, int)}, starting from the weights
     * of the checkpoint in {@code initFrom} (a fine-tune; see {@link TrainableLlama#fromPretrained}) when it is not
     * null. The optimiser state starts fresh.
     */
    public static TrainingResult train(TrainConfig config, ExampleSource source, Path outDir, PrintWriter progress,
            InstantSource clock, int threads, Path initFrom) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(clock, "clock");
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
        if (threads > 0) {
            Engine.getEngine("PyTorch"); // loads the natives before the call below
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        }
        CharVocabulary vocab = CharVocabulary.ascii();
        long start = clock.millis();
        long nextExample = 0;
        long skipped = 0;
        long tokens = 0;
        long lossTokens = 0;
        List<Double> losses = new ArrayList<>();
        List<double[]> curve = new ArrayList<>();
        int every = Math.max(1, config.steps() / 50);
        double windowSum = 0;
        int windowN = 0;
        boolean stoppedByTime = false;
        int step = 0;
        long params;
        java.util.ArrayDeque<List<int[][]>> queue = new java.util.ArrayDeque<>();
        long poolIndex = 0;
        long trained = 0;
        int skippedUpdates = 0;
        int nonFiniteInARow = 0;
        try (NDManager root = NDManager.newBaseManager();
                TrainableLlama model = initFrom == null ? new TrainableLlama(root, config, vocab.size())
                        : TrainableLlama.fromPretrained(root, config, vocab.size(), initFrom);
                AdamW opt = new AdamW(root, model.params())) {
            params = model.parameterCount();
            for (; step < config.steps(); step++) {
                if (config.maxMillis() > 0 && clock.millis() - start >= config.maxMillis()) {
                    stoppedByTime = true;
                    break;
                }
                if (queue.isEmpty()) {
                    Pool pool = Pool.draw(source, vocab, config, nextExample, poolIndex++);
                    nextExample = pool.nextIndex();
                    skipped += pool.skipped();
                    queue.addAll(pool.batches());
                }
                List<int[]> seqs = new ArrayList<>();
                List<Integer> answerStarts = new ArrayList<>();
                for (int[][] entry : queue.removeFirst()) {
                    seqs.add(entry[0]);
                    answerStarts.add(entry[1][0]);
                }
                int width = 0;
                for (int[] s : seqs) {
                    width = Math.max(width, s.length - 1);
                }
                int b = seqs.size();
                int[][] ids = new int[b][width];
                int[][] targets = new int[b][width];
                float[][] weights = new float[b][width];
                for (int r = 0; r < b; r++) {
                    int[] s = seqs.get(r);
                    java.util.Arrays.fill(ids[r], CharVocabulary.PAD);
                    for (int c = 0; c < s.length - 1; c++) {
                        ids[r][c] = s[c];
                        targets[r][c] = s[c + 1];
                        if (c + 1 >= answerStarts.get(r)) {
                            weights[r][c] = 1f;
                            lossTokens++;
                        }
                    }
                    tokens += s.length - 1;
                }
                trained += b;
                double loss;
                try (NDManager scope = root.newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray l = model.loss(scope, ids, targets, weights);
                        gc.backward(l);
                        loss = l.getFloat();
                    }
                    if (!Double.isFinite(loss)) {
                        throw new IllegalStateException("loss is " + loss + " at step " + (step + 1) + "; lower the learning rate");
                    }
                    double norm = opt.step(scope, config.learningRateAt(step, budgetUsed(config, clock.millis() - start)),
                            config.weightDecay(), config.gradClip());
                    if (Double.isFinite(norm)) {
                        nonFiniteInARow = 0;
                    } else {
                        skippedUpdates++;
                        if (++nonFiniteInARow >= MAX_NON_FINITE_IN_A_ROW) {
                            throw new IllegalStateException("the gradient norm was " + norm + " for "
                                    + nonFiniteInARow + " batches in a row (last at step " + (step + 1)
                                    + "); the run has diverged: lower the learning rate or try another seed");
                        }
                    }
                }
                losses.add(loss);
                windowSum += loss;
                windowN++;
                if ((step + 1) % every == 0) {
                    curve.add(new double[] {step + 1, windowSum / windowN});
                    windowSum = 0;
                    windowN = 0;
                }
                if (progress != null) {
                    progress.print(progressLine(step + 1, config, recentMean(losses, 20), clock.millis() - start, tokens));
                    progress.flush();
                }
            }
            if (windowN > 0) {
                curve.add(new double[] {step, windowSum / windowN});
            }
            if (progress != null) {
                progress.println();
            }
            long wall = clock.millis() - start;
            model.save(outDir, SafetensorsWriter.DType.F16);
            vocab.write(outDir, config.maxPositions());
            double first = losses.isEmpty() ? Double.NaN : mean(losses.subList(0, Math.min(10, losses.size())));
            return new TrainingResult(config.steps(), step, stoppedByTime, trained, nextExample, skipped, skippedUpdates, tokens,
                    lossTokens,
                    first, recentMean(losses, 20), curve, params, wall);
        }
    }

    /** Batches per pool: examples are sorted by length within a pool so a batch pads to similar lengths. */
    static final int POOL_BATCHES = 8;

    /**
     * The next {@value #POOL_BATCHES} batches: valid examples taken in index order, sorted by length (stable), cut into
     * batches, and the batches put in an order drawn from the seed and the pool index. Each entry is
     * {@code {sequence, {answerStart}}}.
     */
    record Pool(List<List<int[][]>> batches, long nextIndex, long skipped) {

        static Pool draw(ExampleSource source, CharVocabulary vocab, TrainConfig config, long from, long poolIndex) {
            List<int[][]> entries = new ArrayList<>();
            long next = from;
            long skipped = 0;
            int want = POOL_BATCHES * config.batchSize();
            while (entries.size() < want) {
                TrainingExample ex = source.example(next++);
                int[] p = vocab.encode(ex.prompt());
                int[] a = vocab.encode(ex.answer());
                int n = 1 + p.length + a.length + 1;
                if (n - 1 > config.maxPositions()) {
                    skipped++;
                    continue;
                }
                int[] s = new int[n];
                s[0] = CharVocabulary.BOS;
                System.arraycopy(p, 0, s, 1, p.length);
                System.arraycopy(a, 0, s, 1 + p.length, a.length);
                s[n - 1] = CharVocabulary.EOS;
                entries.add(new int[][] {s, {1 + p.length}});
            }
            entries.sort(java.util.Comparator.comparingInt(e -> e[0].length));
            List<List<int[][]>> batches = new ArrayList<>();
            for (int i = 0; i < entries.size(); i += config.batchSize()) {
                batches.add(entries.subList(i, i + config.batchSize()));
            }
            java.util.SplittableRandom r = new java.util.SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + poolIndex);
            for (int i = batches.size() - 1; i > 0; i--) {
                java.util.Collections.swap(batches, i, r.nextInt(i + 1));
            }
            return new Pool(batches, next, skipped);
        }
    }

    private static double recentMean(List<Double> xs, int n) {
        return xs.isEmpty() ? Double.NaN : mean(xs.subList(Math.max(0, xs.size() - n), xs.size()));
    }

    private static double mean(List<Double> xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.size();
    }

    /** {@code \r[#####.....] step 120/1200 loss 1.234 lr 1.9e-03 950 tok/s 4:05 elapsed ETA 31:10}. */
    static String progressLine(int done, TrainConfig c, double loss, long elapsedMs, long tokens) {
        int width = 30;
        int filled = (int) ((long) width * done / c.steps());
        double perStep = elapsedMs / (double) done;
        long etaMs = (long) (perStep * (c.steps() - done));
        if (c.maxMillis() > 0) {
            etaMs = Math.min(etaMs, Math.max(0, c.maxMillis() - elapsedMs));
        }
        return String.format(Locale.ROOT, "\r[%s%s] step %d/%d loss %.4f lr %.1e %.0f tok/s %s elapsed ETA %s ",
                "#".repeat(filled), ".".repeat(width - filled), done, c.steps(), loss,
                c.learningRateAt(done - 1, c.maxMillis() > 0 ? elapsedMs / (double) c.maxMillis() : 0),
                tokens * 1000.0 / Math.max(1, elapsedMs), clock(elapsedMs), clock(etaMs));
    }

    private static String clock(long ms) {
        long s = ms / 1000;
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
