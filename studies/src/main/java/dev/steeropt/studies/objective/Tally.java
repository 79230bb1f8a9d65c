package dev.steeropt.studies.objective;

import dev.steeropt.optimizer.trial.Trial;
import dev.steeropt.studies.spec.Metric;
import java.util.ArrayList;
import java.util.List;

/** Running counts of a trial's graded items, and the user attrs they become. Not thread-safe. */
public final class Tally {
    private final List<ItemOutcome> items = new ArrayList<>();

    /** Adds a chunk's outcomes. */
    public void addAll(List<ItemOutcome> outcomes) {
        items.addAll(outcomes);
    }

    /** Items graded so far (the report step). */
    public int items() {
        return items.size();
    }

    /** Accuracy under {@code metric} so far; the trial has graded at least one item. */
    public double accuracy(Metric metric) {
        if (items.isEmpty()) {
            throw new IllegalStateException("no item graded yet: a chunk returned no outcome");
        }
        long c = items.stream().filter(o -> o.correct(metric)).count();
        return (double) c / items.size();
    }

    /** Mean generated tokens per item. */
    public double meanTokens() {
        return items.stream().mapToInt(ItemOutcome::tokens).average().orElse(Double.NaN);
    }

    /** The graded items in order. */
    public List<ItemOutcome> outcomes() {
        return List.copyOf(items);
    }

    /** Writes strict/flexible accuracy, items, mean tokens and seconds as user attrs of {@code trial}. */
    public void recordTo(Trial trial, double seconds) {
        trial.setUserAttr("items_graded", items.size());
        for (Metric m : List.of(Metric.STRICT, Metric.FLEXIBLE)) {
            trial.setUserAttr(m.wireName() + "_accuracy", accuracy(m));
        }
        trial.setUserAttr("mean_generated_tokens", meanTokens());
        trial.setUserAttr("seconds", seconds);
        trial.setUserAttr("seconds_per_item", seconds / items.size());
    }
}
