package dev.steeropt.optimizer.samplers.tpe;

import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.trial.FrozenTrial;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;

/**
 * The intersection search space of a study's finished trials: the params every one of them has, with one and the
 * same distribution. Finished trials never change and only get more, so it is updated with the trials not seen before
 * only.
 */
final class IntersectionSearchSpace {
    private final BitSet seen = new BitSet();
    private TreeMap<String, Distribution> intersection;

    /**
     * Narrows the intersection by the trials of {@code finished} not seen yet and returns a copy of it, by name; null
     * while no finished trial has been seen.
     */
    TreeMap<String, Distribution> update(List<FrozenTrial> finished) {
        for (FrozenTrial t : finished) {
            if (seen.get(t.number())) {
                continue;
            }
            seen.set(t.number());
            if (intersection == null) {
                intersection = new TreeMap<>(t.distributions());
            } else {
                intersection.keySet().retainAll(t.distributions().keySet());
                intersection.entrySet().removeIf(e -> !e.getValue().equals(t.distributions().get(e.getKey())));
            }
        }
        return intersection == null ? null : new TreeMap<>(intersection);
    }
}
