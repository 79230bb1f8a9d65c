package dev.steeropt.optimizer.samplers;

import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.trial.FrozenTrial;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;

/**
 * The intersection search space of trials: the params every one of them has, with one and the same distribution (as
 * Optuna's {@code IntersectionSearchSpace}). {@link #of} computes it once; an instance keeps it for a study whose
 * finished trials never change and only get more, updated with the trials not seen before only.
 */
public final class IntersectionSearchSpace {
    private final BitSet seen = new BitSet();
    private TreeMap<String, Distribution> intersection;

    /**
     * Narrows the intersection by the trials of {@code finished} not seen yet and returns a copy of it, by name; null
     * while no finished trial has been seen.
     */
    public TreeMap<String, Distribution> update(List<FrozenTrial> finished) {
        for (FrozenTrial t : finished) {
            if (seen.get(t.number())) {
                continue;
            }
            seen.set(t.number());
            intersection = narrow(intersection, t);
        }
        return intersection == null ? null : new TreeMap<>(intersection);
    }

    /** The intersection search space of {@code trials}, by name; empty when there is no trial. */
    public static TreeMap<String, Distribution> of(Iterable<FrozenTrial> trials) {
        TreeMap<String, Distribution> space = null;
        for (FrozenTrial t : trials) {
            space = narrow(space, t);
        }
        return space == null ? new TreeMap<>() : space;
    }

    /** {@code space} without the params {@code t} lacks or has with another distribution (t's own, if null). */
    private static TreeMap<String, Distribution> narrow(TreeMap<String, Distribution> space, FrozenTrial t) {
        if (space == null) {
            return new TreeMap<>(t.distributions());
        }
        space.keySet().retainAll(t.distributions().keySet());
        space.entrySet().removeIf(e -> !e.getValue().equals(t.distributions().get(e.getKey())));
        return space;
    }
}
