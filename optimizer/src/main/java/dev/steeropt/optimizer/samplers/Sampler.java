package dev.steeropt.optimizer.samplers;

import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.List;
import java.util.Map;

/**
 * Chooses parameter values: Optuna's three-call sampler contract ({@code samplers/_base.py}).
 *
 * <p>Per trial, on the first suggestion that needs sampling, the trial calls {@link #inferRelativeSearchSpace} and
 * then {@link #sampleRelative} once, to draw the params of that space jointly. Every param the relative sample does not
 * cover (a new, conditional or dynamic param) goes to {@link #sampleIndependent}. Values cross this interface in
 * Optuna's internal form (floats and ints as doubles, categoricals as the index of the choice). Samplers only learn
 * from COMPLETE and PRUNED trials; FAIL and WAITING trials are ignored. The hooks {@link #beforeTrial} and
 * {@link #afterTrial} default to no-ops.
 */
public interface Sampler {

    /** The params to sample jointly for {@code trial}, in a defined (sorted) order; empty for independent samplers. */
    Map<String, Distribution> inferRelativeSearchSpace(Study study, FrozenTrial trial);

    /**
     * Joint sample of {@code searchSpace} (internal values by name). May return fewer params than asked (e.g. none
     * during the start-up phase); those are then sampled independently.
     */
    Map<String, Double> sampleRelative(Study study, FrozenTrial trial, Map<String, Distribution> searchSpace);

    /** One param's internal value, sampled on its own. */
    double sampleIndependent(Study study, FrozenTrial trial, String paramName, Distribution distribution);

    /** Called when a trial starts (after it was created or popped from the queue). */
    default void beforeTrial(Study study, FrozenTrial trial) {}

    /** Called by tell before the trial's final state is stored; {@code values} may be null. */
    default void afterTrial(Study study, FrozenTrial trial, TrialState state, List<Double> values) {}
}
