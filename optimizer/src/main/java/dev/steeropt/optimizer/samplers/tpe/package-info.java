/**
 * Tree-structured Parzen Estimator: the sampler and its builder, the Parzen estimator, truncated-normal maths, the
 * below/above split and Optuna's default gamma and weights. Golden-tested against Optuna 5.0 and 4.9 fixtures.
 *
 * <p>Public: {@link dev.steeropt.optimizer.samplers.tpe.TpeSampler} (with its {@code Builder} and presets),
 * {@link dev.steeropt.optimizer.samplers.tpe.ParzenEstimator}, {@link dev.steeropt.optimizer.samplers.tpe.TpeSplit},
 * {@link dev.steeropt.optimizer.samplers.tpe.TpeDefaults}. The sampler's parts are package-private:
 * <ul>
 *   <li>{@code TpeOptions}: the settings a built sampler keeps;</li>
 *   <li>{@code LearningTrials}: which trials a step learns from, read once per ask;</li>
 *   <li>{@code StudyHistory} (per {@code StudyKey}): what the sampler caches about a study's finished trials, made of
 *       {@code FinishedTrialRows} (internal values by trial and param, each param's values sorted),
 *       {@code ValueRanking} (COMPLETE trials by value) and {@code IntersectionSearchSpace};</li>
 *   <li>{@code GroupDecomposedSearchSpace}: the search space and its groups in {@code group} mode;</li>
 *   <li>{@code TpeStep}: one TPE step (and the conditional categorical strategy), fitted to a {@code BelowAboveFit}
 *       of {@code ObservationMatrix} columns;</li>
 *   <li>{@code RelativeParamsAttr}: the constant liar's {@code tpe:relative_params} system attrs.</li>
 * </ul>
 */
package dev.steeropt.optimizer.samplers.tpe;
