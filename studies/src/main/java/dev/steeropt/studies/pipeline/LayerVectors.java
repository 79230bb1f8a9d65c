package dev.steeropt.studies.pipeline;

import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.studies.artifacts.Manifest;
import java.util.Map;
import java.util.TreeMap;

/** The study's steering vectors, one per candidate layer (plain Java, no native memory). */
final class LayerVectors {
    private final TreeMap<Integer, SteeringVector> byLayer;

    LayerVectors(Map<Integer, SteeringVector> byLayer) {
        this.byLayer = new TreeMap<>(byLayer);
    }

    /**
     * The vector of {@code layer}.
     *
     * @throws IllegalArgumentException naming the layers that have vectors
     */
    SteeringVector get(int layer) {
        SteeringVector v = byLayer.get(layer);
        if (v == null) {
            throw new IllegalArgumentException("no steering vector for layer " + layer + "; vectors exist for layers "
                    + byLayer.keySet());
        }
        return v;
    }

    /** Layer → vector, ascending. */
    Map<Integer, SteeringVector> byLayer() {
        return java.util.Collections.unmodifiableMap(byLayer);
    }

    /** Per layer: the vector's L2 norm and the mean residual norm at that layer (the unit of α). */
    Map<Integer, Manifest.VectorNorms> norms() {
        Map<Integer, Manifest.VectorNorms> out = new TreeMap<>();
        byLayer.forEach((k, v) -> out.put(k, new Manifest.VectorNorms(v.norm(),
                v.meanResidualNorm().orElse(Double.NaN))));
        return out;
    }
}
