package dev.steeropt.studies.analysis.probes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Examples to probe: per layer {@code [example][d_model]} activations, a class index per example, a group per example
 * (the examples of one group, e.g. a contrast pair's two sides, always share a cross-validation fold) and a family per
 * example (the synthetic template or a dataset's subject).
 *
 * @param layers   layer → {@code [example][width]}, every layer the same examples
 * @param labels   class index 0..classes.size()−1 per example
 * @param classes  class names, by index
 * @param groups   group id per example
 * @param families family name per example
 */
public record ProbeSet(Map<Integer, float[][]> layers, int[] labels, List<String> classes, int[] groups, List<String> families) {
    public ProbeSet {
        layers = new TreeMap<>(layers);
        classes = List.copyOf(classes);
        families = List.copyOf(families);
        labels = labels.clone();
        groups = groups.clone();
        int n = labels.length;
        if (groups.length != n || families.size() != n) {
            throw new IllegalArgumentException(n + " labels, " + groups.length + " groups and " + families.size() + " families");
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a probe set needs at least one layer");
        }
        for (Map.Entry<Integer, float[][]> e : layers.entrySet()) {
            if (e.getValue().length != n) {
                throw new IllegalArgumentException("layer " + e.getKey() + " has " + e.getValue().length + " examples, labels " + n);
            }
        }
        for (int y : labels) {
            if (y < 0 || y >= classes.size()) {
                throw new IllegalArgumentException("label " + y + " is outside the " + classes.size() + " classes " + classes);
            }
        }
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public int[] groups() {
        return groups.clone();
    }

    /** Examples. */
    public int size() {
        return labels.length;
    }

    /** Examples per class name, in class order. */
    public Map<String, Integer> classCounts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        classes.forEach(c -> out.put(c, 0));
        for (int y : labels) {
            out.merge(classes.get(y), 1, Integer::sum);
        }
        return out;
    }

    /** The examples at {@code index}, in that order (classes and layers kept). */
    public ProbeSet subset(List<Integer> index) {
        Map<Integer, float[][]> l = new TreeMap<>();
        layers.forEach((layer, x) -> {
            float[][] s = new float[index.size()][];
            for (int i = 0; i < s.length; i++) {
                s[i] = x[index.get(i)];
            }
            l.put(layer, s);
        });
        int[] y = new int[index.size()];
        int[] g = new int[index.size()];
        List<String> f = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[index.get(i)];
            g[i] = groups[index.get(i)];
            f.add(families.get(index.get(i)));
        }
        return new ProbeSet(l, y, classes, g, f);
    }

    /** The examples of one family. */
    public ProbeSet family(String name) {
        Objects.requireNonNull(name, "name");
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < families.size(); i++) {
            if (families.get(i).equals(name)) {
                idx.add(i);
            }
        }
        return subset(idx);
    }
}
