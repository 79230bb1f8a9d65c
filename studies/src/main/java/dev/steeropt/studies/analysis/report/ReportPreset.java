package dev.steeropt.studies.analysis.report;

import dev.steeropt.studies.spec.WireName;

/** The report's presets (the seed's {@code quick_test}, {@code full_analysis}, {@code layer_specific}). */
public enum ReportPreset implements WireName {
    /** Every layer, n items, small sample counts: minutes on the embedded pair. */
    QUICK,
    /** Every layer, larger probes (the mode label on generated text) and variability samples. */
    FULL,
    /** As quick, restricted to {@code --layers}. */
    LAYERS;

    /** The preset named {@code name} (a usage error listing all otherwise). */
    public static ReportPreset parse(String name) {
        return WireName.parse(ReportPreset.class, "report preset", name);
    }
}
