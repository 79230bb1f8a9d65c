package dev.steeropt.studies.store.jdbc;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.DistributionJson;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code distribution_json} texts and the distributions they stand for, both ways cached (distributions are immutable
 * values, and a study uses few of them). Not thread-safe: the store calls it under its lock.
 */
final class DistributionTexts {
    private static final int MAX_CACHED = 4096;

    private final Map<String, Distribution> parsed = new HashMap<>();
    private final Map<Distribution, String> texts = new HashMap<>();

    /** {@code distribution_json} of a distribution. */
    String json(Distribution d) {
        String json = texts.get(d);
        if (json == null) {
            if (texts.size() >= MAX_CACHED) {
                texts.clear(); // a study with ever-changing ranges: keep the cache bounded
            }
            json = DistributionJson.toJson(d);
            texts.put(d, json);
        }
        return json;
    }

    /** The distribution a {@code distribution_json} text describes. */
    Distribution parse(String json) {
        Distribution d = parsed.get(json);
        if (d == null) {
            if (parsed.size() >= MAX_CACHED) {
                parsed.clear();
            }
            d = DistributionJson.fromJson(json);
            parsed.put(json, d);
        }
        return d;
    }

    /** Optuna's {@code check_distribution_compatibility}: same kind, same {@code log}, same categorical choices. */
    static void checkCompatible(String name, Distribution existing, Distribution requested) {
        boolean ok;
        if (existing.getClass() != requested.getClass()) {
            ok = false;
        } else if (existing instanceof CategoricalDistribution a) {
            ok = a.choices().equals(((CategoricalDistribution) requested).choices());
        } else if (existing instanceof FloatDistribution a) {
            ok = a.log() == ((FloatDistribution) requested).log();
        } else {
            ok = ((IntDistribution) existing).log() == ((IntDistribution) requested).log();
        }
        if (!ok) {
            throw new IllegalArgumentException("parameter '" + name + "' was already suggested in this study as "
                    + DistributionJson.toJson(existing) + " and cannot now be " + DistributionJson.toJson(requested)
                    + " (the kind, log flag and categorical choices must stay the same); rename the parameter or"
                    + " use a new study");
        }
    }
}
