package dev.steeropt.studies.pipeline.multi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;

/** The Pareto plot marks what it says: tokens on x, accuracy on y, the baseline and the chosen point as own series. */
class ParetoArtifactsTest {
    /** Catches: axes swapped, the chosen or baseline point missing, or dominated points drawn as front. */
    @Test
    void plotSeriesAreTheFrontTheBaselineAndTheChoice() {
        FrontPoint base = new FrontPoint(0, Map.of("alpha", 0.0), 0.2, 40);
        FrontPoint a = new FrontPoint(3, Map.of("alpha", 1.0), 0.1, 20);
        FrontPoint b = new FrontPoint(5, Map.of("alpha", 2.0), 0.6, 60);
        FrontPoint dominated = new FrontPoint(7, Map.of("alpha", -1.0), 0.05, 90);
        MultiObjectiveReport report = new MultiObjectiveReport(List.of(), "knee", base, 5, List.of(a, base, b),
                List.of());
        FrontEvaluation e = new FrontEvaluation(null, b, List.of(), report,
                new ValidationFront(List.of(a, base, b), List.of(base, a, b, dominated), base));
        JFreeChart chart = ParetoArtifacts.plot(e, List.of(dominated));
        XYDataset d = chart.getXYPlot().getDataset();
        assertEquals(4, d.getSeriesCount());
        // the first series is drawn last, on top
        assertEquals("chosen (trial #5, --select knee)", d.getSeriesKey(0));
        assertEquals(60.0, d.getXValue(0, 0));
        assertEquals(0.6, d.getYValue(0, 0));
        assertEquals("baseline (trial #0, unsteered)", d.getSeriesKey(1));
        assertEquals(40.0, d.getXValue(1, 0));
        assertEquals(0.2, d.getYValue(1, 0));
        assertEquals("Pareto front", d.getSeriesKey(2));
        assertEquals(3, d.getItemCount(2));
        assertEquals("dominated trials", d.getSeriesKey(3));
        assertEquals(90.0, d.getXValue(3, 0));
    }
}
