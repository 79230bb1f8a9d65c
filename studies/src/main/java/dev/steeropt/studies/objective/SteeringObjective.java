package dev.steeropt.studies.objective;

import dev.steeropt.optimizer.study.Objective;
import dev.steeropt.optimizer.study.TrialPrunedException;
import dev.steeropt.optimizer.trial.Trial;
import dev.steeropt.studies.spec.Metric;
import java.util.Objects;

/**
 * The search objective: validation accuracy of one steering configuration. Maps the trial's params, generates and
 * grades the validation split chunk by chunk, reports the running accuracy after each chunk (step = items graded) so
 * the pruner can stop a poor trial early, and returns the accuracy. Anything that goes wrong propagates: the Study
 * marks the trial FAIL with the reason; no sentinel value is ever returned.
 */
public final class SteeringObjective implements Objective {
    private final ParamMapping mapping;
    private final ChunkEvaluator validation;
    private final Metric metric;

    /**
     * @param mapping    params to settings
     * @param validation the validation chunks
     * @param metric     the grading rule of the objective
     */
    public SteeringObjective(ParamMapping mapping, ChunkEvaluator validation, Metric metric) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.validation = Objects.requireNonNull(validation, "validation");
        this.metric = Objects.requireNonNull(metric, "metric");
    }

    @Override
    public double evaluate(Trial trial) {
        TrialConfig config = mapping.suggest(trial);
        long t0 = System.nanoTime();
        Tally tally = new Tally();
        for (int chunk = 0; chunk < validation.chunkCount(); chunk++) {
            tally.addAll(validation.evaluate(chunk, config));
            trial.report(tally.items(), tally.accuracy(metric));
            if (trial.shouldPrune()) {
                tally.recordTo(trial, (System.nanoTime() - t0) / 1e9);
                throw new TrialPrunedException("pruned after " + tally.items() + " items at accuracy "
                        + tally.accuracy(metric));
            }
        }
        tally.recordTo(trial, (System.nanoTime() - t0) / 1e9);
        return tally.accuracy(metric);
    }
}
