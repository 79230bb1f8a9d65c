package dev.steeropt.core.bench;

import dev.steeropt.core.hooks.ActivationAddition;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.model.weights.WeightStore;
import dev.steeropt.core.runtime.ForwardResult;
import dev.steeropt.core.runtime.GenerationRequest;
import dev.steeropt.core.runtime.GenerationResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Times the runtime with the protocol of {@code shared/baselines/README.md} and {@code shared/tools/hf-bench.py}:
 *
 * <ul>
 *   <li>generate: greedy, exactly {@value #NEW_TOKENS} new tokens (no stop ids), 160-token prompts (rows 144..160
 *       left-padded), per batch size; unsteered and steered runs interleaved, in alternating order; steering adds 4·v (v a seeded unit
 *       vector) to {@code blocks.{n_layers/2}.hook_resid_post} at all positions;</li>
 *   <li>generate of 1 token (prefill + 1) for the decode-only rate {@code batch·127 / (t(128) − t(1))};</li>
 *   <li>prefill: one forward of 32×160 tokens copying every layer's hidden states ({@code hook_embed} and each
 *       {@code hook_resid_post}) to Java, with logits for the last position ("keep1") and for all ("full").</li>
 * </ul>
 * Medians over {@code reps}; peak RSS is {@code VmHWM}. Progress goes to {@code log}; nothing is timed in tests.
 */
public final class RuntimeBenchmark {

    /** New tokens per timed generate. */
    public static final int NEW_TOKENS = BenchPrompts.NEW_TOKENS;
    /** New tokens of the untimed plain and steered warm-up runs at each batch size. */
    static final int WARM_UP_TOKENS = 24;
    /** Steering strength. */
    public static final float ALPHA = 4.0f;

    /**
     * Settings.
     *
     * @param batches      batch sizes for generate, e.g. {@code [1, 8, 32]}
     * @param reps         repetitions per measurement (≥ 1)
     * @param prefillBatch rows of the prefill measurement (0 skips it)
     */
    public record Settings(List<Integer> batches, int reps, int prefillBatch) {
        public Settings {
            batches = List.copyOf(batches);
            if (reps < 1 || prefillBatch < 0 || batches.stream().anyMatch(b -> b < 1)) {
                throw new IllegalArgumentException("reps must be >= 1, prefill batch >= 0 and batches >= 1; got reps="
                        + reps + ", prefillBatch=" + prefillBatch + ", batches=" + batches);
            }
        }

        /** The protocol's settings: batches 1, 8, 32; 3 repetitions; prefill of 32 rows. */
        public static Settings protocol() {
            return new Settings(List.of(1, 8, 32), 3, 32);
        }
    }

    /**
     * Results.
     *
     * @param generate      per batch size
     * @param prefillKeep1  tok/s of the keep1 prefill (NaN when skipped)
     * @param prefillFull   tok/s of the full-logits prefill (NaN when skipped)
     * @param peakRssMb     VmHWM after everything
     * @param peakRssGenerateMb VmHWM after the generate phase
     */
    public record Report(Map<Integer, GenerateFigures> generate, double prefillKeep1, double prefillFull,
            double peakRssMb, double peakRssGenerateMb) {}

    private final LoadedModel model;
    private final PrintWriter log;

    /**
     * @param model the loaded model (not closed here)
     * @param log   progress lines
     */
    public RuntimeBenchmark(LoadedModel model, PrintWriter log) {
        this.model = Objects.requireNonNull(model, "model");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The steering hooks of the protocol: 4·v at {@code blocks.{n_layers/2}.hook_resid_post}, all positions. */
    public HookSet steeringHooks() {
        int h = model.config().hiddenSize();
        SplittableRandom rnd = new SplittableRandom(7);
        float[] v = new float[h];
        double norm = 0;
        for (int i = 0; i < h; i++) {
            v[i] = (float) rnd.nextGaussian();
            norm += (double) v[i] * v[i];
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < h; i++) {
            v[i] *= inv;
        }
        return ActivationAddition.of(model.config().numLayers() / 2, v, ALPHA, SteerPositions.ALL).hooks();
    }

    /** Runs every phase and returns the figures. */
    public Report run(Settings settings) {
        int vocab = model.config().vocabSize();
        HookSet steer = steeringHooks();
        // warm-up: a short generate and a short forward with hidden states
        BenchPrompts warm = BenchPrompts.make(2, vocab, 99);
        generate(lastColumns(warm, 32), 4, HookSet.empty());
        prefill(lastColumns(warm, 32), Transformer.Logits.LAST);

        Map<Integer, GenerateFigures> gen = new LinkedHashMap<>();
        for (int batch : settings.batches()) {
            BenchPrompts p = BenchPrompts.make(batch, vocab, 1000 + batch);
            PromptBatch full = PromptBatch.of(p.ids(), p.mask());
            // untimed warm-up at this batch size, plain and steered, long enough for the JIT to compile the per-op
            // Java path (with a 2-token warm-up the first timed batch-1 runs were slower than the last)
            generate(full, WARM_UP_TOKENS, HookSet.empty());
            generate(full, WARM_UP_TOKENS, steer);
            double[] plain = new double[settings.reps()];
            double[] steered = new double[settings.reps()];
            double[] one = new double[settings.reps()];
            int[][] plainTokens = null;
            int[][] steeredTokens = null;
            for (int r = 0; r < settings.reps(); r++) {
                // the order alternates, so neither run always follows the other (allocator and cache state)
                for (int k = 0; k < 2; k++) {
                    boolean steerNow = (r + k) % 2 == 1;
                    long t0 = System.nanoTime();
                    int[][] tokens = generate(full, NEW_TOKENS, steerNow ? steer : HookSet.empty());
                    double s = (System.nanoTime() - t0) / 1e9;
                    if (steerNow) {
                        steeredTokens = tokens;
                        steered[r] = s;
                    } else {
                        plainTokens = tokens;
                        plain[r] = s;
                    }
                }
                log.printf(Locale.ROOT, "  b%d rep %d: plain %.2f s, steered %.2f s%n", batch, r + 1, plain[r],
                        steered[r]);
                log.flush();
            }
            for (int r = 0; r < settings.reps(); r++) {
                long t0 = System.nanoTime();
                generate(full, 1, HookSet.empty());
                one[r] = (System.nanoTime() - t0) / 1e9;
            }
            GenerateFigures f = new GenerateFigures(batch, plain, steered, one, changed(plainTokens, steeredTokens));
            gen.put(batch, f);
            log.printf(Locale.ROOT, "generate b%d: %.2f tok/s, decode-only %.2f tok/s, steered/plain %.3f%n", batch,
                    f.tokS(), f.decodeOnlyTokS(), f.steeredOverPlain());
            log.flush();
        }
        double rssGen = peakRssMb();

        double keep1 = Double.NaN;
        double full = Double.NaN;
        if (settings.prefillBatch() > 0) {
            BenchPrompts p = BenchPrompts.make(settings.prefillBatch(), vocab, 5);
            int[][] mask = new int[p.batch()][BenchPrompts.PROMPT];
            for (int[] row : mask) {
                java.util.Arrays.fill(row, 1);
            }
            int[][] ids = new int[p.batch()][];
            SplittableRandom rnd = new SplittableRandom(5);
            for (int b = 0; b < ids.length; b++) {
                ids[b] = rnd.ints(BenchPrompts.PROMPT, 1, vocab).toArray();
            }
            PromptBatch batch = PromptBatch.of(ids, mask);
            keep1 = timePrefill(batch, Transformer.Logits.LAST, settings.reps(), "keep1");
            full = timePrefill(batch, Transformer.Logits.ALL, settings.reps(), "full");
        }
        return new Report(gen, keep1, full, peakRssMb(), rssGen);
    }

    private double timePrefill(PromptBatch batch, Transformer.Logits logits, int reps, String name) {
        prefill(PromptBatch.of(java.util.Arrays.copyOf(batch.inputIds(), 4),
                java.util.Arrays.copyOf(batch.attentionMask(), 4)), logits);
        double[] ts = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            prefill(batch, logits);
            ts[r] = (System.nanoTime() - t0) / 1e9;
        }
        double tokS = batch.batchSize() * (double) batch.width() / GenerateFigures.median(ts);
        log.printf(Locale.ROOT, "prefill %s: %.1f tok/s (median of %d)%n", name, tokS, reps);
        log.flush();
        return tokS;
    }

    /** Greedy generate of exactly {@code newTokens} per row; returns the tokens. */
    int[][] generate(PromptBatch batch, int newTokens, HookSet hooks) {
        GenerationResult r = model.generate(GenerationRequest.builder(batch).maxNewTokens(newTokens).hooks(hooks)
                .build());
        int[][] tokens = r.tokens();
        for (int[] row : tokens) {
            if (row.length != newTokens) {
                throw new IllegalStateException("a row stopped after " + row.length + " of " + newTokens
                        + " tokens although no stop id was given");
            }
        }
        return tokens;
    }

    private ForwardResult prefill(PromptBatch batch, Transformer.Logits logits) {
        List<HookPoint> capture = new ArrayList<>();
        capture.add(HookPoint.embed());
        for (int i = 0; i < model.config().numLayers(); i++) {
            capture.add(HookPoint.residPost(i));
        }
        ForwardResult r = model.forward(batch, capture, logits, HookSet.empty());
        if (r.activations().size() != capture.size()) {
            throw new IllegalStateException("captured " + r.activations().size() + " hidden states, expected "
                    + capture.size());
        }
        return r;
    }

    private static PromptBatch lastColumns(BenchPrompts p, int width) {
        int[][] ids = new int[p.batch()][];
        int[][] mask = new int[p.batch()][];
        for (int b = 0; b < p.batch(); b++) {
            ids[b] = java.util.Arrays.copyOfRange(p.ids()[b], BenchPrompts.PROMPT - width, BenchPrompts.PROMPT);
            mask[b] = java.util.Arrays.copyOfRange(p.mask()[b], BenchPrompts.PROMPT - width, BenchPrompts.PROMPT);
        }
        return PromptBatch.of(ids, mask);
    }

    private static double changed(int[][] a, int[][] b) {
        long diff = 0;
        long n = 0;
        for (int r = 0; r < a.length; r++) {
            for (int t = 0; t < a[r].length; t++) {
                diff += a[r][t] != b[r][t] ? 1 : 0;
                n++;
            }
        }
        return n == 0 ? 0 : diff / (double) n;
    }

    /** Parameters stored in a model directory's safetensors (tied matrices once, as HF counts them). */
    public static long storedParameters(java.nio.file.Path dir) {
        try (WeightStore store = WeightStore.open(dir)) {
            long n = 0;
            for (String name : store.names()) {
                n += store.info(name).elementCount();
            }
            return n;
        }
    }

    /** VmHWM in MB, or NaN where /proc is unavailable. */
    public static double peakRssMb() {
        var kb = ProcessMemory.peakRssKb();
        return kb.isPresent() ? kb.getAsLong() / 1024.0 : Double.NaN;
    }

    /**
     * The native-memory check: {@code calls} short generate calls (batch 2, 16-token prompts, 8 new tokens, steered
     * every other call), sampling RSS and the model's live-array count after the first call, every {@code calls/10}
     * calls and at the end, judged by {@link MemoryCheck}.
     *
     * @param rssLimitMb RSS growth allowed over the last nine tenths of the calls
     */
    public MemoryCheck.Verdict memoryCheck(int calls, double rssLimitMb) {
        return memoryCheck(calls, rssLimitMb, () -> {});
    }

    /** As {@link #memoryCheck(int, double)}, running {@code afterEachCall} after every timed call (tests inject leaks). */
    MemoryCheck.Verdict memoryCheck(int calls, double rssLimitMb, Runnable afterEachCall) {
        if (calls < 1) {
            throw new IllegalArgumentException("calls must be >= 1, got " + calls);
        }
        int vocab = model.config().vocabSize();
        HookSet steer = steeringHooks();
        BenchPrompts p = BenchPrompts.make(2, vocab, 3);
        PromptBatch batch = lastColumns(p, 16);
        List<MemoryCheck.Sample> samples = new ArrayList<>();
        generate(batch, 8, HookSet.empty()); // first call allocates lazily initialised native state
        samples.add(sample(0));
        int every = MemoryCheck.every(calls);
        for (int i = 1; i <= calls; i++) {
            generate(batch, 8, i % 2 == 0 ? steer : HookSet.empty());
            afterEachCall.run();
            if (i % every == 0 || i == calls) {
                MemoryCheck.Sample s = sample(i);
                samples.add(s);
                log.printf(Locale.ROOT, "  after %d calls: RSS %.1f MB, live arrays %d, open managers %d%n", i, s.rssMb(),
                        s.liveArrays(), s.openManagers());
                log.flush();
            }
        }
        return MemoryCheck.judge(samples, calls, rssLimitMb);
    }

    private MemoryCheck.Sample sample(int calls) {
        var kb = ProcessMemory.rssKb();
        return new MemoryCheck.Sample(calls, kb.isPresent() ? kb.getAsLong() / 1024.0 : Double.NaN, model.liveArrayCount(),
                model.openManagerCount());
    }
}
