package dev.steeropt.core.steering.dac;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.steeropt.core.hooks.ActivationAddition;
import dev.steeropt.core.hooks.Hook;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.runtime.DecodeCall;
import dev.steeropt.core.runtime.DecodeState;
import dev.steeropt.core.steering.SteeredResult.DacStep;
import dev.steeropt.core.steering.SteeringMethod;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The KV-cached DAC decode loop body (steering-reference §2.4): three decode states sharing one unsteered prefill of
 * tokens {@code 0..n−2}: <b>U</b> (never steered), <b>P</b> (every stepped token gets {@code α_max · d}) and
 * <b>S</b> (the token of step t gets {@code α_t · d}). Each {@link #step} feeds the same token per row to U and P,
 * computes α_t per row from their logits with {@link DacDivergence}, then feeds it to S and returns S's logits.
 *
 * <p>Memory: the three caches belong to the {@link DecodeCall} given at creation; every array of a step lives in the
 * {@link DecodeCall.Step} passed to {@link #step}. Not thread-safe.
 */
public final class DacDecoder {
    private final SteeringMethod.Dac method;
    private final DecodeState unsteered;
    private final DecodeState probe;
    private final DecodeState steered;
    private final HookSet probeHooks;
    private final RowScaledAddition steer;
    private final HookSet steerHooks;
    private DacStep[] last;

    private DacDecoder(SteeringMethod.Dac method, DecodeState u, DecodeState p, DecodeState s, UnaryOperator<Hook> install) {
        this.method = method;
        this.unsteered = u;
        this.probe = p;
        this.steered = s;
        float[] d = method.units().direction(method.vector());
        HookPoint point = HookPoint.residPost(method.layer());
        this.probeHooks = HookSet.of(point, install.apply(ActivationAddition.of(method.layer(), d, (float) method.alphaMax(),
                SteerPositions.FROM_LAST_PROMPT_TOKEN)));
        this.steer = new RowScaledAddition(d);
        this.steerHooks = HookSet.of(point, install.apply(steer));
    }

    /**
     * Starts DAC from an unsteered prefilled state that has not been stepped: it becomes U, and P and S are forks of it
     * (sharing the prefix values, each with its own cache in {@code call}). At α_max = 0 every part still runs: the
     * probe adds {@code 0·d}, D_t is computed, α_t = 0 and S adds {@code 0·d}.
     *
     * @throws IllegalArgumentException for a seed-compatible method (it has no probe)
     */
    public static DacDecoder start(SteeringMethod.Dac method, DecodeState prefilled, DecodeCall call) {
        return start(method, prefilled, call, UnaryOperator.identity());
    }

    /**
     * As {@link #start(SteeringMethod.Dac, DecodeState, DecodeCall)}, with each of the two steering hooks (the probe's
     * addition and S's per-row addition) passed through {@code install} before use, e.g. to count its calls.
     */
    public static DacDecoder start(SteeringMethod.Dac method, DecodeState prefilled, DecodeCall call, UnaryOperator<Hook> install) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(install, "install");
        if (method.seedCompat()) {
            throw new IllegalArgumentException("seedCompat DAC has no probe; run it as plain addition");
        }
        if (prefilled.steps() != 0) {
            throw new IllegalArgumentException("DAC must start from a state that was prefilled but not stepped; this one took "
                    + prefilled.steps() + " steps");
        }
        return new DacDecoder(method, prefilled, call.fork(prefilled), call.fork(prefilled), install);
    }

    /**
     * One DAC step for every row.
     *
     * @param scope  a step of the call given at creation (the returned logits live there)
     * @param tokens x_t per row (the pending last prompt tokens at the first step)
     * @param done   rows already finished: they are stepped (the batch moves together) but get α_t = 0 and no trace
     * @return z_s, the steered logits {@code [batch, d_vocab]}
     */
    public NDArray step(DecodeCall.Step scope, int[] tokens, boolean[] done) {
        int b = tokens.length;
        NDArray zu = unsteered.step(scope, tokens, HookSet.empty());
        NDArray zp = probe.step(scope, tokens, probeHooks);
        int vocab = (int) zu.getShape().get(1);
        float[] u = zu.toType(DataType.FLOAT32, false).toFloatArray();
        float[] p = zp.toType(DataType.FLOAT32, false).toFloatArray();
        float[] alphas = new float[b];
        DacStep[] steps = new DacStep[b];
        for (int r = 0; r < b; r++) {
            if (done[r]) {
                continue;
            }
            steps[r] = DacDivergence.compute(u, r * vocab, p, r * vocab, vocab, method.topP(), method.klMode(), method.alphaMax());
            alphas[r] = (float) steps[r].alpha();
        }
        steer.setAlphas(alphas);
        last = steps;
        return steered.step(scope, tokens, steerHooks);
    }

    /** The (D_t, α_t, |S_t|) of the last step per row (null for rows that were done). */
    public DacStep[] lastSteps() {
        if (last == null) {
            throw new IllegalStateException("no DAC step has run yet");
        }
        return last.clone();
    }
}
