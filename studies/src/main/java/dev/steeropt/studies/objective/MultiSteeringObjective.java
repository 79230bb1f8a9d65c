package dev.steeropt.studies.objective;

import dev.steeropt.optimizer.study.MultiObjective;
import dev.steeropt.optimizer.trial.Trial;
import dev.steeropt.studies.spec.Metric;
import dev.steeropt.studies.spec.ObjectiveKind;
import java.util.List;
import java.util.Objects;

/**
 * The multi-objective search objective ({@code --objectives accuracy,tokens}): one steering configuration graded on
 * the whole validation split, returning each objective's value in study-direction order (validation accuracy under
 * the metric; mean generated tokens per item). Nothing is reported between chunks: a multi-objective study has no
 * intermediate values and prunes nothing. Failures propagate (the trial becomes FAIL), as in {@link SteeringObjective}.
 */
public final class MultiSteeringObjective implements MultiObjective {
    private final ParamMapping mapping;
    private final ChunkEvaluator validation;
    private final Metric metric;
    private final List<ObjectiveKind> objectives;

    /**
     * @param mapping    params to settings
     * @param validation the validation chunks
     * @param metric     the grading rule of the accuracy objective
     * @param objectives the objectives, in the study's direction order
     */
    public MultiSteeringObjective(ParamMapping mapping, ChunkEvaluator validation, Metric metric,
            List<ObjectiveKind> objectives) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.validation = Objects.requireNonNull(validation, "validation");
        this.metric = Objects.requireNonNull(metric, "metric");
        this.objectives = List.copyOf(objectives);
    }

    @Override
    public double[] evaluate(Trial trial) {
        TrialConfig config = mapping.suggest(trial);
        long t0 = System.nanoTime();
        Tally tally = new Tally();
        for (int chunk = 0; chunk < validation.chunkCount(); chunk++) {
            tally.addAll(validation.evaluate(chunk, config));
        }
        tally.recordTo(trial, (System.nanoTime() - t0) / 1e9);
        double[] values = new double[objectives.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = switch (objectives.get(k)) {
                case ACCURACY -> tally.accuracy(metric);
                case TOKENS -> tally.meanTokens();
            };
        }
        return values;
    }
}
