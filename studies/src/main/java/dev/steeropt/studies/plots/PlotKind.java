package dev.steeropt.studies.plots;

import dev.steeropt.studies.spec.WireName;

/** The study plots {@code steeropt plot --kind} draws (Optuna's visualisation names). */
public enum PlotKind implements WireName {
    HISTORY,
    INTERMEDIATE,
    IMPORTANCE,
    SLICE,
    CONTOUR,
    PARALLEL;

    /** The kind named {@code value}; an unknown name is a usage error listing the kinds. */
    public static PlotKind parse(String value) {
        return WireName.parse(PlotKind.class, "plot kind", value);
    }
}
