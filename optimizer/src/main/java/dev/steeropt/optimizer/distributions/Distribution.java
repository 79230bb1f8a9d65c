package dev.steeropt.optimizer.distributions;

/**
 * The range of one parameter, with Optuna's internal representation: every value is stored as a {@code double}
 * (floats and ints as themselves, categoricals as the index of the choice).
 *
 * <p>Implementations are immutable, validated on construction, and round-trip through Optuna's
 * {@code distribution_json} format via {@link DistributionJson}.
 */
public sealed interface Distribution permits FloatDistribution, IntDistribution, CategoricalDistribution {

    /** The internal (stored) form of an external value; throws {@link IllegalArgumentException} if it does not fit. */
    double toInternal(Object external);

    /** The external value (Double, Long, or the categorical choice) of an internal value. */
    Object toExternal(double internal);

    /** Whether an internal value lies in this distribution (on its grid, for stepped and categorical ones). */
    boolean contains(double internal);

    /** Whether the distribution admits exactly one value (Optuna then skips sampling). */
    boolean isSingle();
}
