package dev.steeropt.optimizer.samplers.tpe;

import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.storage.InMemoryTrialStore;
import dev.steeropt.optimizer.trial.FrozenTrial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The search space of {@link TpeSampler.Builder#group} mode: the union of the finished trials' params, decomposed into
 * groups of params that always occur together, each group then sampled jointly.
 */
final class GroupDecomposedSearchSpace {
    private GroupDecomposedSearchSpace() {}

    /**
     * Every param of the {@code finished} trials, by name; a later trial's distribution replaces the one kept so far
     * only if the two are compatible ({@link InMemoryTrialStore#incompatibility}).
     */
    static TreeMap<String, Distribution> union(List<FrozenTrial> finished) {
        TreeMap<String, Distribution> space = new TreeMap<>();
        for (FrozenTrial t : finished) {
            for (Map.Entry<String, Distribution> e : t.distributions().entrySet()) {
                Distribution old = space.get(e.getKey());
                if (old == null || InMemoryTrialStore.incompatibility(old, e.getValue()) == null) {
                    space.put(e.getKey(), e.getValue());
                }
            }
        }
        return space;
    }

    /** Decomposes {@code space} into groups of params that always occur together in the {@code finished} trials. */
    static List<Map<String, Distribution>> groups(List<FrozenTrial> finished, Map<String, Distribution> space) {
        List<Set<String>> groups = new ArrayList<>();
        for (FrozenTrial t : finished) {
            Set<String> present = new TreeSet<>(t.distributions().keySet());
            present.retainAll(space.keySet());
            List<Set<String>> next = new ArrayList<>();
            for (Set<String> g : groups) {
                Set<String> in = new TreeSet<>(g);
                in.retainAll(present);
                Set<String> out = new TreeSet<>(g);
                out.removeAll(present);
                if (!in.isEmpty()) {
                    next.add(in);
                }
                if (!out.isEmpty()) {
                    next.add(out);
                }
                present.removeAll(g);
            }
            if (!present.isEmpty()) {
                next.add(present);
            }
            groups = next;
        }
        List<Map<String, Distribution>> out = new ArrayList<>();
        for (Set<String> g : groups) {
            Map<String, Distribution> m = new TreeMap<>();
            for (String name : g) {
                m.put(name, space.get(name));
            }
            out.add(m);
        }
        return out;
    }
}
