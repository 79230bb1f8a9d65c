package dev.steeropt.studies.analysis.sweep;

import dev.steeropt.studies.analysis.AnalysisOutput;
import dev.steeropt.studies.plots.Charts;
import dev.steeropt.studies.plots.Grid;
import dev.steeropt.studies.plots.Series;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;

/** The sweep's two figures: accuracy against strength per layer, and the gain over the baseline per cell. */
final class SweepPlots {
    private SweepPlots() {}

    static void write(AnalysisOutput o, SweepReport r) {
        List<Series> lines = new ArrayList<>();
        for (int l : r.layers()) {
            double[] x = new double[r.strengths().size()];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double s = r.strengths().get(i);
                x[i] = s;
                y[i] = s == 0 ? r.baseline().accuracy() : cell(r, l, s).accuracy();
            }
            lines.add(new Series("layer " + l, x, y));
        }
        JFreeChart dose = Charts.line("Dose-response: accuracy against strength (" + r.n() + " items)", "strength",
                "accuracy", lines);
        Charts.referenceLine(dose, r.baseline().accuracy(), "baseline");
        o.plot(SweepCommand.DOSE_PLOT, dose);
        List<String> columns = r.strengths().stream().map(s -> String.valueOf(s)).toList();
        List<String> rows = r.layers().stream().map(l -> "layer " + l).toList();
        double[][] gain = new double[rows.size()][columns.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < columns.size(); j++) {
                double s = r.strengths().get(j);
                gain[i][j] = s == 0 ? 0 : cell(r, r.layers().get(i), s).gain();
            }
        }
        o.plot(SweepCommand.GAIN_PLOT, Charts.heatmap("Accuracy gain over strength 0", "strength", "layer", "gain",
                new Grid(columns, rows, gain)));
    }

    private static SweepReport.Cell cell(SweepReport r, int layer, double strength) {
        return r.cells().stream().filter(c -> c.layer() == layer && c.strength() == strength).findFirst().orElseThrow();
    }
}
