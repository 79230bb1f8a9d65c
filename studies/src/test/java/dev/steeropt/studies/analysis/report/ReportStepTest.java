package dev.steeropt.studies.analysis.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportStepTest {
    private static ReportStep sweep(ReportPreset p) {
        return ReportStep.of(p, "demo-careful", 100).stream().filter(s -> s.command().equals("sweep")).findFirst()
                .orElseThrow();
    }

    @Test
    void quickAndLayersRunASmallSweepFullRunsTheDefaultGrid() {
        for (ReportPreset p : List.of(ReportPreset.QUICK, ReportPreset.LAYERS)) {
            List<String> a = sweep(p).args();
            int at = a.indexOf("--strengths");
            assertEquals("-2,-1,0", a.get(at + 1), p + ": " + a);
        }
        assertFalse(sweep(ReportPreset.FULL).args().contains("--strengths"), "full: the sweep's default strengths");
    }
}
