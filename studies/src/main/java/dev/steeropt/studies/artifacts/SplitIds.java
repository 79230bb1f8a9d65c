package dev.steeropt.studies.artifacts;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.steeropt.eval.splits.Split;
import dev.steeropt.eval.splits.SplitPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One split as {@code final_results.json} and {@code manifest.json} record it under {@code splits.<name>}: its size,
 * the SHA-256 of its ordered ids and the ids.
 *
 * @param n         items
 * @param idsSha256 {@link Split#idsHash}
 * @param ids       item ids in split order
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SplitIds(int n, String idsSha256, List<String> ids) {
    public SplitIds {
        ids = List.copyOf(ids);
    }

    /** The three splits of a plan, keyed {@code train}, {@code validation}, {@code test} in that order. */
    public static Map<String, SplitIds> of(SplitPlan plan) {
        Map<String, SplitIds> m = new LinkedHashMap<>();
        for (Split s : List.of(plan.train(), plan.validation(), plan.test())) {
            m.put(s.name(), new SplitIds(s.size(), s.idsHash(), s.ids()));
        }
        return m;
    }
}
