package dev.steeropt.core.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.steeropt.core.runtime.GenerationResult.FinishReason;
import dev.steeropt.core.runtime.sampling.TokenSampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Batched prefill then one decode step per new token, with per-row stopping. Owns the native memory of a call:
 *
 * <pre>
 * DecodeCall        (this generate):  KV cache, hook constants
 *   DecodeCall.Step (one forward):    every temporary of the step
 * </pre>
 *
 * Only plain Java (token ids, the result record) leaves {@link #generate}.
 */
final class Generator {
    private Generator() {
    }

    static GenerationResult generate(LoadedModel model, GenerationRequest req) {
        PromptBatch batch = req.prompts();
        int rows = batch.batchSize();
        int maxNew = req.maxNewTokens();
        int maxPos = model.transformer().maxPositions();
        for (int r = 0; r < rows; r++) {
            if (batch.promptLength(r) + maxNew > maxPos) {
                throw new IllegalArgumentException("row " + r + ": prompt of " + batch.promptLength(r) + " tokens + " + maxNew
                        + " new tokens exceeds the model's " + maxPos + " positions; shorten the prompt or lower maxNewTokens");
            }
        }
        int[][] out = new int[rows][maxNew];
        int[] count = new int[rows];
        FinishReason[] reasons = new FinishReason[rows];
        Arrays.fill(reasons, FinishReason.LENGTH);
        boolean[] done = new boolean[rows];
        int active = rows;
        SamplingParams sp = req.sampling();
        SplittableRandom[] rngs = new SplittableRandom[rows];
        for (int r = 0; r < rows; r++) {
            rngs[r] = new SplittableRandom(sp.seedFor(r));
        }
        long prefillNanos = 0;
        long decodeNanos = 0;
        if (maxNew > 0) {
            try (DecodeCall call = model.openCall()) {
                long t0 = System.nanoTime();
                DecodeState st = req.prefix() != null ? call.fork(req.prefix().state(), maxNew)
                        : call.prefill(batch, maxNew, req.hooks());
                long t1 = System.nanoTime();
                prefillNanos = t1 - t0;
                int[] next = st.pendingTokens();
                for (int step = 0; step < maxNew && active > 0; step++) {
                    int[] chosen;
                    try (DecodeCall.Step scope = call.newStep()) {
                        NDArray logits = st.step(scope, next, req.hooks());
                        chosen = choose(logits, sp, rngs, done);
                    }
                    for (int r = 0; r < rows; r++) {
                        if (done[r]) {
                            continue;
                        }
                        out[r][count[r]++] = chosen[r];
                        if (req.stopTokenIds().contains(chosen[r])) {
                            done[r] = true;
                            reasons[r] = FinishReason.STOP_TOKEN;
                        } else if (!req.stopStrings().isEmpty() && containsStop(req, Arrays.copyOf(out[r], count[r]))) {
                            done[r] = true;
                            reasons[r] = FinishReason.STOP_STRING;
                        }
                        if (done[r]) {
                            active--;
                        }
                    }
                    next = chosen;
                }
                decodeNanos = System.nanoTime() - t1;
            }
        }
        List<GenerationResult.Sequence> seqs = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            seqs.add(new GenerationResult.Sequence(r, Arrays.copyOf(out[r], count[r]), reasons[r]));
        }
        return new GenerationResult(seqs, prefillNanos, decodeNanos);
    }

    private static boolean containsStop(GenerationRequest req, int[] ids) {
        String text = req.decoder().apply(ids);
        for (String s : req.stopStrings()) {
            if (text.contains(s)) {
                return true;
            }
        }
        return false;
    }

    /** Greedy rows use the engine's argmax (only ids cross to Java); sampled rows copy their logits out. */
    private static int[] choose(NDArray logits, SamplingParams sp, SplittableRandom[] rngs, boolean[] done) {
        int rows = rngs.length;
        int[] chosen = new int[rows];
        if (sp.isGreedy()) {
            long[] ids = logits.argMax(1).toLongArray();
            for (int r = 0; r < rows; r++) {
                chosen[r] = (int) ids[r];
            }
            return chosen;
        }
        int vocab = (int) logits.getShape().get(1);
        float[] flat = logits.getDataType() == DataType.FLOAT32 ? logits.toFloatArray()
                : logits.toType(DataType.FLOAT32, false).toFloatArray();
        for (int r = 0; r < rows; r++) {
            if (!done[r]) {
                chosen[r] = TokenSampler.sample(flat, r * vocab, vocab, sp.temperature(), sp.topP(), sp.topK(), rngs[r]);
            }
        }
        return chosen;
    }
}
