package dev.steeropt.studies.analysis.probes;

import dev.steeropt.studies.plots.Charts;
import dev.steeropt.studies.plots.Series;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;

/**
 * Probe charts through the plots package: cross-validated accuracy and AUC per layer, one line each per model, so
 * both models of a pair share one plot; chance level as a reference line.
 */
public final class ProbePlot {
    private ProbePlot() {}

    /**
     * @param title    the chart's title (say model, dataset, n)
     * @param reports  one per model
     * @param chance   the chance accuracy (1 / classes)
     */
    public static JFreeChart chart(String title, List<ProbeReport> reports, double chance) {
        List<Series> series = new ArrayList<>();
        for (ProbeReport r : reports) {
            series.add(curve(r.model() + " accuracy", r.overall(), true));
            series.add(curve(r.model() + " AUC", r.overall(), false));
        }
        JFreeChart c = Charts.line(title, "layer (blocks.{i}.hook_resid_post)", "cross-validated accuracy / AUC", series);
        Charts.integerX(c);
        Charts.yRange(c, 0, 1.02);
        Charts.referenceLine(c, chance, "chance");
        return c;
    }

    /** Accuracy per layer of every family of one report, one line per family. */
    public static JFreeChart families(String title, ProbeReport report, double chance) {
        List<Series> series = new ArrayList<>();
        report.families().forEach((name, f) -> {
            if (f.curve() != null) {
                series.add(curve(name, f.curve(), true));
            }
        });
        JFreeChart c = Charts.line(title, "layer (blocks.{i}.hook_resid_post)", "cross-validated accuracy", series);
        Charts.integerX(c);
        Charts.yRange(c, 0, 1.02);
        Charts.referenceLine(c, chance, "chance");
        return c;
    }

    private static Series curve(String name, CrossValidatedProbes.Curve curve, boolean accuracy) {
        double[] x = new double[curve.layers().size()];
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            CrossValidatedProbes.LayerResult r = curve.layers().get(i);
            x[i] = r.layer();
            y[i] = accuracy ? r.accuracy() : r.auc();
        }
        return new Series(name, x, y);
    }
}
