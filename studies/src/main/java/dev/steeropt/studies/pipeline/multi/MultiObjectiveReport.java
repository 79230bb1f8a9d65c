package dev.steeropt.studies.pipeline.multi;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.steeropt.studies.pipeline.TestSummary;
import dev.steeropt.studies.spec.MultiObjectiveSpec;
import java.util.List;

/**
 * {@code final_results.json}'s {@code multi_objective} entry (absent for single-objective studies): the objectives,
 * the pre-registered rule, the baseline and the validation front, and each tested configuration's test results.
 * The top-level {@code test} and {@code items} of {@code final_results.json} are those of {@link #tested}'s first
 * entry, the chosen configuration.
 *
 * @param objectives    name and direction of each objective, in the study's value order
 * @param selection     the rule, as stored in the spec
 * @param baseline      the unsteered trial #0 on validation
 * @param chosenTrial   the trial the rule chose
 * @param front         the validation Pareto front, by tokens ascending
 * @param tested        the chosen configuration first, then the {@code --test-also} ones, in the rule's order
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MultiObjectiveReport(List<Objective> objectives, String selection, FrontPoint baseline, int chosenTrial,
        List<FrontPoint> front, List<Tested> tested) {

    public MultiObjectiveReport {
        objectives = List.copyOf(objectives);
        front = List.copyOf(front);
        tested = List.copyOf(tested);
    }

    /**
     * One objective.
     *
     * @param name      {@code accuracy} or {@code tokens}
     * @param direction {@code maximize} or {@code minimize}
     */
    public record Objective(String name, String direction) {
        static List<Objective> of(MultiObjectiveSpec spec) {
            return spec.objectives().stream().map(o -> new Objective(o.wireName(),
                    o.direction().name().toLowerCase(java.util.Locale.ROOT))).toList();
        }
    }

    /**
     * One tested configuration.
     *
     * @param rank           its place in the rule's order (0 = the chosen one)
     * @param validation     its validation point
     * @param test           the accuracy statistics (both arms, McNemar, bootstrap CI of the gain)
     * @param tokens         the tokens statistics (paired t-test, bootstrap CI of the reduction)
     * @param accuracyPHolm  McNemar p, Holm-adjusted over the tested configurations
     * @param tokensPHolm    tokens t-test p, Holm-adjusted over the tested configurations
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Tested(int rank, FrontPoint validation, TestSummary test, TokensComparison tokens,
            @JsonProperty("accuracy_p_holm") double accuracyPHolm, @JsonProperty("tokens_p_holm") double tokensPHolm) {}
}
