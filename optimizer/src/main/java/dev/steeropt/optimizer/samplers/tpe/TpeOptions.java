package dev.steeropt.optimizer.samplers.tpe;

import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * The settings of one {@link TpeSampler}, fixed when it is built; each is described at its {@link TpeSampler.Builder}
 * setter. {@code gamma} is null for the default, which depends on the number of objectives; {@code parzen} gathers
 * the estimator options (prior weight, magic clip, endpoints, bandwidth).
 */
record TpeOptions(int nStartupTrials, int nEiCandidates, IntUnaryOperator gamma, IntFunction<double[]> weights,
        ParzenEstimator.Parameters parzen, boolean multivariate, boolean group, boolean constantLiar,
        TpeSampler.CategoricalStrategy categoricalStrategy, double categoricalExploration, int localCandidates,
        double localScale) {}
