package dev.steeropt.studies.analysis.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One analysis of the report: an {@code analyze} subcommand and its arguments under a preset.
 *
 * @param command the subcommand's name
 * @param title   the report's heading
 * @param args    arguments after {@code analyze <command>} (besides the shared ones the report adds)
 * @param needsB  runs only with {@code --versus}
 */
record ReportStep(String command, String title, List<String> args, boolean needsB) {
    ReportStep {
        args = List.copyOf(args);
    }

    /**
     * The steps of a preset, in report order. The argument names follow each command's documented options; a command
     * missing from this build is reported as such.
     *
     * @param b the {@code --versus} model, or null
     */
    static List<ReportStep> of(ReportPreset preset, String b, int n) {
        boolean full = preset == ReportPreset.FULL;
        List<ReportStep> s = new ArrayList<>();
        s.add(new ReportStep("directions", "Directions (within-model and cross-model)", b == null ? List.of() : List.of("--versus", b), false));
        // quick and layers: a small inverse sweep (the most negative strength, half of it, and the baseline)
        List<String> sweep = new ArrayList<>(List.of("--versus", b == null ? "" : b));
        if (!full) {
            sweep.addAll(List.of("--strengths", "-2,-1,0"));
        }
        s.add(new ReportStep("sweep", full ? "Inverse-direction sweep" : "Inverse-direction sweep (small grid)", sweep, true));
        s.add(new ReportStep("ablate", "Layer ablation", List.of(), false));
        s.add(new ReportStep("patch", "Activation patching (B's residual into A)", List.of("--versus", b == null ? "" : b), true));
        List<String> probes = new ArrayList<>(List.of("--label", "gold_vs_corrupted_answer"));
        if (b != null) {
            probes.addAll(List.of("--versus", b));
        }
        s.add(new ReportStep("probes", "Probes: gold vs corrupted answer", probes, false));
        if (full) {
            List<String> mode = new ArrayList<>(List.of("--label", "mode", "--read", "mean_generated", "--n-train", "200",
                    "--max-new-tokens", "320"));
            if (b != null) {
                mode.addAll(List.of("--versus", b));
            }
            s.add(new ReportStep("probes", "Probes: the completion's mode", mode, false));
        }
        s.add(new ReportStep("logit-lens", "Logit lens", List.of("--n", Integer.toString(Math.min(n, full ? n : 20))), false));
        List<String> cka = new ArrayList<>(b == null ? List.of() : List.of("--versus", b));
        s.add(new ReportStep("cka", "CKA", cka, false));
        List<String> var = new ArrayList<>(List.of("--samples", full ? "8" : "4", "--n", Integer.toString(full ? n : Math.min(n, 20))));
        if (b != null) {
            var.addAll(List.of("--versus", b));
        }
        s.add(new ReportStep("variability", "Token-count variability", var, false));
        return s;
    }
}
