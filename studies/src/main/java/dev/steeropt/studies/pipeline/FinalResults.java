package dev.steeropt.studies.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.steeropt.studies.artifacts.SplitIds;
import dev.steeropt.studies.objective.ItemOutcome;
import dev.steeropt.studies.pipeline.multi.MultiObjectiveReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code final_results.json}: the single test evaluation of a study with every item's outcome in both arms. Keys are
 * the snake_case forms of the component names, in component order.
 *
 * @param study     the study name
 * @param bestTrial the number of the trial whose configuration was tested
 * @param splits    the drawn splits (sizes, id hashes, ids)
 * @param test      the statistics
 * @param items     per test item, in test order, both arms' outcomes
 * @param multiObjective the objectives, rule, front and every tested configuration of a multi-objective study (then
 *                  {@code bestTrial}, {@code test} and {@code items} are the chosen configuration's); absent otherwise
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FinalResults(String study, int bestTrial, Map<String, SplitIds> splits, TestSummary test,
        List<Item> items, @JsonInclude(JsonInclude.Include.NON_NULL) MultiObjectiveReport multiObjective) {
    public FinalResults {
        items = List.copyOf(items);
    }

    /** The results of {@code test}, the evaluation of trial {@code bestTrial}. */
    static FinalResults of(String study, int bestTrial, Map<String, SplitIds> splits, TestEvaluation test,
            MultiObjectiveReport multiObjective) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < test.base().size(); i++) {
            items.add(new Item(test.base().get(i).id(), Outcome.of(test.base().get(i)),
                    Outcome.of(test.steered().get(i)), Outcome.of(test.greedy().get(i))));
        }
        return new FinalResults(study, bestTrial, splits, test.summary(), items, multiObjective);
    }

    /**
     * One test item.
     *
     * @param id       the problem id
     * @param baseline       the baseline arm's outcome (the best configuration at α = 0)
     * @param best           the best configuration's outcome
     * @param greedyBaseline the unsteered greedy arm's outcome (the baseline's own when the best is greedy)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Item(String id, Outcome baseline, Outcome best, Outcome greedyBaseline) {}

    /**
     * One arm's outcome on one item.
     *
     * @param strict     correct under the strict rule
     * @param flexible   correct under the flexible rule
     * @param extracted  what the flexible rule extracted, or null
     * @param tokens     generated tokens
     * @param completion the completion text
     */
    public record Outcome(boolean strict, boolean flexible, String extracted, int tokens, String completion) {
        static Outcome of(ItemOutcome o) {
            return new Outcome(o.strict(), o.flexible(), o.extracted(), o.tokens(), o.completion());
        }
    }
}
