package dev.steeropt.studies.analysis.probes;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One model's probes: the cross-validated curve over every example, and one per family (or the reason a family was
 * skipped). Serialised with Jackson, snake_case.
 *
 * @param model     the model's name or folder
 * @param label     what the probes predict ({@link ProbeLabel} wire name, or the contrast's name)
 * @param read      where each sequence was read, e.g. {@code last_prompt_token}
 * @param hookPoint the hook point family read, {@code hook_resid_post}
 * @param folds     cross-validation folds
 * @param lambda    L2 penalty
 * @param seed      balancing and fold seed
 * @param overall   every example
 * @param families  family name → its own probes, sorted by name
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ProbeReport(String model, String label, String read, String hookPoint, int folds, double lambda, long seed,
        CrossValidatedProbes.Curve overall, Map<String, Family> families) {
    /** The accuracy {@link #firstLayerAbove90} looks for. */
    public static final double THRESHOLD = 0.9;

    public ProbeReport {
        Objects.requireNonNull(overall, "overall");
        families = new TreeMap<>(families);
    }

    /**
     * One family's probes, or why there are none.
     *
     * @param curve   the family's cross-validated probes, or null
     * @param skipped the reason, or null
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Family(CrossValidatedProbes.Curve curve, String skipped) {}

    /** The first layer whose overall accuracy exceeds 90%, or null. */
    public Integer firstLayerAbove90() {
        return overall.firstLayerAbove(THRESHOLD);
    }

    /**
     * Fits the overall probes and one per family of {@code set} (a family whose classes are too small for the folds is
     * skipped with the reason; {@code perFamily} false skips them all).
     */
    public static ProbeReport fit(String model, String label, String read, ProbeSet set, CrossValidatedProbes.Options o,
            boolean perFamily) {
        CrossValidatedProbes.Curve overall = CrossValidatedProbes.fit(set, o);
        Map<String, Family> fam = new TreeMap<>();
        if (perFamily) {
            for (String f : new java.util.TreeSet<>(set.families())) {
                try {
                    fam.put(f, new Family(CrossValidatedProbes.fit(set.family(f), o), null));
                } catch (IllegalArgumentException e) {
                    fam.put(f, new Family(null, e.getMessage()));
                }
            }
        }
        return new ProbeReport(model, label, read, "hook_resid_post", o.folds(), o.lambda(), o.seed(), overall, fam);
    }
}
