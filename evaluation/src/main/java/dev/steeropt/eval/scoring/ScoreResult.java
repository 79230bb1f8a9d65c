package dev.steeropt.eval.scoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.steeropt.eval.stats.WilsonInterval;
import java.util.List;
import java.util.Objects;

/**
 * The result of scoring a predictions file. Serialises (Jackson) to snake_case JSON:
 * {@code {dataset, split, n, strict_accuracy, flexible_accuracy, strict_ci95, flexible_ci95, items, missing_ids,
 * unknown_ids}}.
 *
 * @param dataset          dataset name, e.g. {@code gsm8k}
 * @param split            split scored, e.g. {@code test}
 * @param n                number of items scored (predictions whose id is in the dataset split), at least 1
 * @param strictAccuracy   fraction of the {@code n} items correct under the strict rule
 * @param flexibleAccuracy fraction correct under the flexible rule (what the search optimises by default)
 * @param strictCi95       Wilson 95% interval of {@code strictAccuracy}
 * @param flexibleCi95     Wilson 95% interval of {@code flexibleAccuracy}
 * @param items            per-item grades, in dataset order
 * @param missingIds       dataset ids with no prediction, in dataset order (not counted in {@code n})
 * @param unknownIds       prediction ids not in the dataset split, in file order (ignored)
 */
@JsonPropertyOrder({"dataset", "split", "n", "strict_accuracy", "flexible_accuracy", "strict_ci95", "flexible_ci95",
        "missing_ids", "unknown_ids", "items"})
public record ScoreResult(
        @JsonProperty("dataset") String dataset,
        @JsonProperty("split") String split,
        @JsonProperty("n") int n,
        @JsonProperty("strict_accuracy") double strictAccuracy,
        @JsonProperty("flexible_accuracy") double flexibleAccuracy,
        @JsonProperty("strict_ci95") WilsonInterval strictCi95,
        @JsonProperty("flexible_ci95") WilsonInterval flexibleCi95,
        @JsonProperty("items") List<ItemScore> items,
        @JsonProperty("missing_ids") List<String> missingIds,
        @JsonProperty("unknown_ids") List<String> unknownIds) {

    public ScoreResult {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(split, "split");
        items = List.copyOf(items);
        missingIds = List.copyOf(missingIds);
        unknownIds = List.copyOf(unknownIds);
        if (n != items.size() || n < 1) {
            throw new IllegalArgumentException("n must equal the number of items and be >= 1, got n=" + n
                    + ", items=" + items.size());
        }
    }

    /** True when every dataset item has a prediction and no prediction names an unknown id. */
    @JsonProperty("complete")
    public boolean complete() {
        return missingIds.isEmpty() && unknownIds.isEmpty();
    }

    /**
     * One scored prediction.
     *
     * @param id        item id
     * @param strict    correct under the strict rule
     * @param flexible  correct under the flexible rule
     * @param extracted what each rule extracted
     */
    @JsonPropertyOrder({"id", "strict", "flexible", "extracted"})
    public record ItemScore(@JsonProperty("id") String id, @JsonProperty("strict") boolean strict,
                            @JsonProperty("flexible") boolean flexible,
                            @JsonProperty("extracted") Extracted extracted) {
        public ItemScore {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(extracted, "extracted");
        }
    }

    /**
     * The extracted answers of one prediction; {@code null} where a rule found nothing.
     *
     * @param strict   strict extraction
     * @param flexible flexible extraction
     */
    public record Extracted(@JsonProperty("strict") String strict, @JsonProperty("flexible") String flexible) {
    }
}
