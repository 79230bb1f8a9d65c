package dev.steeropt.core.steering;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.steeropt.core.hooks.ActivationAddition;
import dev.steeropt.core.hooks.Hook;
import dev.steeropt.core.hooks.HookCounter;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.runtime.DecodeCall;
import dev.steeropt.core.runtime.DecodeState;
import dev.steeropt.core.runtime.GenerationResult.FinishReason;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.runtime.PromptState;
import dev.steeropt.core.runtime.SamplingParams;
import dev.steeropt.core.runtime.sampling.TokenSampler;
import dev.steeropt.core.steering.SteeredResult.DacStep;
import dev.steeropt.core.steering.dac.DacDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The one entry point for steered (and baseline) generation: batched, left-padded, KV-cached, with per-row stopping.
 *
 * {@snippet :
 * SteeringMethod m = SteeringMethod.Caa.of(vector, 0.5);          // or Dac.of(vector, 2.0), or null = baseline
 * SteeredResult r = SteeredGeneration.generate(model, prompts, m,
 *         SteeredGeneration.Options.greedy(256).withStops(model.eosTokenIds(), List.of("\n\n"), tok::decode));
 * }
 *
 * <p>Paths:
 * <ul>
 *   <li>{@code null}, or a zero-strength method ({@link SteeringMethod#isZero()}) unless
 *       {@link Options#forceSteeredPath()}: the baseline, with no hook at all (the search's fast path: an α = 0 trial
 *       is the baseline);</li>
 *   <li>{@link SteeringMethod.Caa}: {@link ActivationAddition} of {@code α · direction} at the chosen positions, in the
 *       prefill and every step;</li>
 *   <li>{@link SteeringMethod.Dac}: {@link DacDecoder}, three KV caches over one unsteered prefill; with
 *       {@code seedCompat}, a constant {@code α_max · direction} from the last prompt token on.</li>
 * </ul>
 *
 * <p>Sampling: temperature 0 is argmax (ties to the lowest id); otherwise each row draws from its own generator seeded
 * with {@link SamplingParams#seedFor(int)}, so baseline and steered runs of a row share their random numbers.
 *
 * <p>Every steering hook a call installs is counted ({@link HookCounter}); {@link SteeredResult#hookCalls()} says how
 * often they ran, so a caller can see that the steered path was taken.
 *
 * <p>Memory: one {@link DecodeCall} per call (KV caches) and one {@link DecodeCall.Step} per step; only plain Java is
 * returned.
 */
public final class SteeredGeneration {
    private SteeredGeneration() {}

    /**
     * Generation settings.
     *
     * @param maxNewTokens     new tokens per row at most (≥ 0)
     * @param sampling         temperature 0 = greedy; else seeded per row
     * @param stopTokenIds     a row stops after emitting one of these
     * @param stopStrings      a row stops once its decoded continuation contains one of these
     * @param decoder          ids → text, required with stop strings
     * @param recordLogits     keep each generated token's logits in the result (for exact comparisons; costs d_vocab
     *                         floats per token)
     * @param forceSteeredPath run a zero-strength method through its steering machinery (hooks installed and called,
     *                         DAC's three caches) instead of the baseline shortcut; what the zero-steering check uses
     * @param hookDecorator    applied to every steering hook this call installs, outside its call counter; identity in
     *                         production (the zero-steering check's self-tests pass a faulty one)
     */
    public record Options(int maxNewTokens, SamplingParams sampling, Set<Integer> stopTokenIds, List<String> stopStrings,
            Function<int[], String> decoder, boolean recordLogits, boolean forceSteeredPath, UnaryOperator<Hook> hookDecorator) {
        public Options {
            if (maxNewTokens < 0) {
                throw new IllegalArgumentException("maxNewTokens must be >= 0, got " + maxNewTokens);
            }
            Objects.requireNonNull(sampling, "sampling");
            Objects.requireNonNull(hookDecorator, "hookDecorator");
            stopTokenIds = Set.copyOf(stopTokenIds);
            stopStrings = List.copyOf(stopStrings);
            if (!stopStrings.isEmpty() && decoder == null) {
                throw new IllegalArgumentException("stop strings need a decoder (ids -> text)");
            }
        }

        /** Production settings: the α = 0 shortcut on, hooks as they are. */
        public Options(int maxNewTokens, SamplingParams sampling, Set<Integer> stopTokenIds, List<String> stopStrings,
                Function<int[], String> decoder, boolean recordLogits) {
            this(maxNewTokens, sampling, stopTokenIds, stopStrings, decoder, recordLogits, false, UnaryOperator.identity());
        }

        /** Greedy, no stop condition, no logits kept. */
        public static Options greedy(int maxNewTokens) {
            return new Options(maxNewTokens, SamplingParams.greedy(), Set.of(), List.of(), null, false);
        }

        /** A copy with other sampling settings. */
        public Options withSampling(SamplingParams s) {
            return new Options(maxNewTokens, s, stopTokenIds, stopStrings, decoder, recordLogits, forceSteeredPath, hookDecorator);
        }

        /** A copy with stop tokens, stop strings and the decoder the strings need. */
        public Options withStops(Set<Integer> ids, List<String> strings, Function<int[], String> dec) {
            return new Options(maxNewTokens, sampling, ids, strings, dec, recordLogits, forceSteeredPath, hookDecorator);
        }

        /** A copy that records (or not) every generated token's logits. */
        public Options withRecordLogits(boolean record) {
            return new Options(maxNewTokens, sampling, stopTokenIds, stopStrings, decoder, record, forceSteeredPath, hookDecorator);
        }

        /** A copy that runs zero-strength methods through the steering machinery (true) or the baseline shortcut. */
        public Options withForceSteeredPath(boolean force) {
            return new Options(maxNewTokens, sampling, stopTokenIds, stopStrings, decoder, recordLogits, force, hookDecorator);
        }

        /** A copy whose steering hooks pass through {@code decorator} (for self-tests of the zero-steering check). */
        public Options withHookDecorator(UnaryOperator<Hook> decorator) {
            return new Options(maxNewTokens, sampling, stopTokenIds, stopStrings, decoder, recordLogits, forceSteeredPath, decorator);
        }
    }

    /** Generates for a prompt batch (prefilled in this call). */
    public static SteeredResult generate(LoadedModel model, PromptBatch prompts, SteeringMethod method, Options options) {
        return run(model, Objects.requireNonNull(prompts, "prompts"), null, method, options);
    }

    /**
     * Generates from a reusable prefilled prefix (the prompt's cache is copied, never modified). CAA at
     * {@link SteerPositions#ALL} positions changes the prompt from its layer on: it reruns the prompt through the
     * blocks from the highest block input the prefix kept at or below that layer
     * ({@link PromptState#resumeLayer}), or prefills the prompts again when the prefix kept none.
     */
    public static SteeredResult generate(LoadedModel model, PromptState prefix, SteeringMethod method, Options options) {
        Objects.requireNonNull(prefix, "prefix");
        return run(model, prefix.batch(), prefix, method, options);
    }

    /** One decode step of some path: the logits {@code [batch, d_vocab]} in {@code step}. */
    private interface Stepper {
        NDArray step(DecodeCall.Step step, int[] tokens, boolean[] done);
    }

    private static SteeredResult run(LoadedModel model, PromptBatch batch, PromptState prefix, SteeringMethod method,
            Options o) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(o, "options");
        long t0 = System.nanoTime();
        int rows = batch.batchSize();
        int maxNew = o.maxNewTokens();
        int maxPos = model.transformer().maxPositions();
        for (int r = 0; r < rows; r++) {
            if (batch.promptLength(r) + maxNew > maxPos) {
                throw new IllegalArgumentException("row " + r + ": prompt of " + batch.promptLength(r) + " tokens + " + maxNew
                        + " new tokens exceeds the model's " + maxPos + " positions; shorten the prompt or lower maxNewTokens");
            }
        }
        if (method != null && method.vector().dimension() != model.config().hiddenSize()) {
            throw new IllegalArgumentException("the steering vector has " + method.vector().dimension() + " values but the model's"
                    + " d_model is " + model.config().hiddenSize() + "; it was built for another model");
        }
        if (method != null && method.layer() >= model.config().numLayers()) {
            throw new IllegalArgumentException("the steering vector is for layer " + method.layer() + " but the model has "
                    + model.config().numLayers() + " layers (0.." + (model.config().numLayers() - 1) + ")");
        }
        boolean plain = method == null || (method.isZero() && !o.forceSteeredPath());
        String path = plain ? "baseline" : method.name();
        HookCounter counter = new HookCounter();
        UnaryOperator<Hook> install = h -> o.hookDecorator().apply(counter.counted(h));
        int[][] out = new int[rows][maxNew];
        int[] count = new int[rows];
        FinishReason[] reasons = new FinishReason[rows];
        Arrays.fill(reasons, FinishReason.LENGTH);
        List<List<DacStep>> traces = new ArrayList<>();
        List<List<float[]>> logits = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            traces.add(new ArrayList<>());
            logits.add(new ArrayList<>());
        }
        if (maxNew > 0) {
            SamplingParams sp = o.sampling();
            SplittableRandom[] rngs = new SplittableRandom[rows];
            for (int r = 0; r < rows; r++) {
                rngs[r] = new SplittableRandom(sp.seedFor(r));
            }
            boolean[] done = new boolean[rows];
            int active = rows;
            try (DecodeCall call = model.openCall()) {
                DacDecoder[] dac = new DacDecoder[1];
                Stepper stepper = plain ? plainStepper(batch, prefix, maxNew, call)
                        : stepper(batch, prefix, method, maxNew, call, dac, install);
                int[] next = prefix != null ? prefix.state().pendingTokens() : pending(batch);
                for (int step = 0; step < maxNew && active > 0; step++) {
                    int[] chosen;
                    try (DecodeCall.Step scope = call.newStep()) {
                        NDArray z = stepper.step(scope, next, done);
                        chosen = choose(z, sp, rngs, done, o.recordLogits() ? logits : null);
                    }
                    DacStep[] dacSteps = dac[0] == null ? null : dac[0].lastSteps();
                    for (int r = 0; r < rows; r++) {
                        if (done[r]) {
                            continue;
                        }
                        out[r][count[r]++] = chosen[r];
                        if (dacSteps != null) {
                            traces.get(r).add(dacSteps[r]);
                        }
                        if (o.stopTokenIds().contains(chosen[r])) {
                            done[r] = true;
                            reasons[r] = FinishReason.STOP_TOKEN;
                        } else if (!o.stopStrings().isEmpty() && containsStop(o, Arrays.copyOf(out[r], count[r]))) {
                            done[r] = true;
                            reasons[r] = FinishReason.STOP_STRING;
                        }
                        if (done[r]) {
                            active--;
                        }
                    }
                    next = chosen;
                }
            }
        }
        List<SteeredResult.Row> result = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            result.add(new SteeredResult.Row(r, Arrays.copyOf(out[r], count[r]), reasons[r], traces.get(r), logits.get(r)));
        }
        return new SteeredResult(result, path, counter.calls(), System.nanoTime() - t0);
    }

    private static int[] pending(PromptBatch batch) {
        int[] p = new int[batch.batchSize()];
        for (int r = 0; r < p.length; r++) {
            p[r] = batch.id(r, batch.width() - 1);
        }
        return p;
    }

    private static Stepper plainStepper(PromptBatch batch, PromptState prefix, int maxNew, DecodeCall call) {
        DecodeState st = unsteeredState(batch, prefix, maxNew, call);
        return (scope, tokens, done) -> st.step(scope, tokens, HookSet.empty());
    }

    /** The unhooked decode state: a fork of the reused prefix, or a fresh prefill of the prompts. */
    private static DecodeState unsteeredState(PromptBatch batch, PromptState prefix, int maxNew, DecodeCall call) {
        return prefix != null ? call.fork(prefix.state(), maxNew) : call.prefill(batch, maxNew, HookSet.empty());
    }

    private static Stepper stepper(PromptBatch batch, PromptState prefix, SteeringMethod method, int maxNew,
            DecodeCall call, DacDecoder[] dacOut, UnaryOperator<Hook> install) {
        float[] direction = method.units().direction(method.vector());
        if (method instanceof SteeringMethod.Caa) {
            SteeringMethod.Caa caa = (SteeringMethod.Caa) method;
            return additive(batch, prefix, ActivationAddition.of(caa.layer(), direction, (float) caa.alpha(), caa.positions()),
                    maxNew, call, install);
        }
        SteeringMethod.Dac d = (SteeringMethod.Dac) method;
        if (d.seedCompat()) {
            return additive(batch, prefix, ActivationAddition.of(d.layer(), direction, (float) d.alphaMax(),
                    SteerPositions.FROM_LAST_PROMPT_TOKEN), maxNew, call, install);
        }
        DecodeState base = unsteeredState(batch, prefix, maxNew, call);
        DacDecoder dac = DacDecoder.start(d, base, call, install);
        dacOut[0] = dac;
        return dac::step;
    }

    private static Stepper additive(PromptBatch batch, PromptState prefix, ActivationAddition add, int maxNew,
            DecodeCall call, UnaryOperator<Hook> install) {
        HookSet hooks = HookSet.of(add.point(), install.apply(add));
        DecodeState st;
        if (prefix != null && add.positions().sparesPromptPrefix()) {
            st = call.fork(prefix.state(), maxNew);
        } else if (prefix != null && prefix.resumeLayer(add.layer()).isPresent()) {
            // the prompt is steered from block `layer` on: blocks below it come from the prefix
            st = call.resume(prefix, prefix.resumeLayer(add.layer()).getAsInt(), maxNew, hooks);
        } else {
            st = call.prefill(batch, maxNew, hooks);
        }
        return (scope, tokens, done) -> st.step(scope, tokens, hooks);
    }

    private static boolean containsStop(Options o, int[] ids) {
        String text = o.decoder().apply(ids);
        for (String s : o.stopStrings()) {
            if (text.contains(s)) {
                return true;
            }
        }
        return false;
    }

    /** Greedy rows use the engine's argmax unless logits are recorded; sampled rows draw from their own generator. */
    private static int[] choose(NDArray z, SamplingParams sp, SplittableRandom[] rngs, boolean[] done, List<List<float[]>> keep) {
        int rows = rngs.length;
        int[] chosen = new int[rows];
        if (sp.isGreedy() && keep == null) {
            long[] ids = z.argMax(1).toLongArray();
            for (int r = 0; r < rows; r++) {
                chosen[r] = (int) ids[r];
            }
            return chosen;
        }
        int vocab = (int) z.getShape().get(1);
        float[] flat = z.getDataType() == DataType.FLOAT32 ? z.toFloatArray() : z.toType(DataType.FLOAT32, false).toFloatArray();
        for (int r = 0; r < rows; r++) {
            if (done[r]) {
                continue;
            }
            if (keep != null) {
                keep.get(r).add(Arrays.copyOfRange(flat, r * vocab, (r + 1) * vocab));
            }
            chosen[r] = sp.isGreedy() ? TokenSampler.argmax(flat, r * vocab, vocab)
                    : TokenSampler.sample(flat, r * vocab, vocab, sp.temperature(), sp.topP(), sp.topK(), rngs[r]);
        }
        return chosen;
    }
}
