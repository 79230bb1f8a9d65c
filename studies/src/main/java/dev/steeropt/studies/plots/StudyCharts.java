package dev.steeropt.studies.plots;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.importance.ObjectiveImportance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;

/**
 * A study's plots, as Optuna's {@code optuna.visualization.matplotlib} draws them, built from its trials with
 * {@link Charts}: optimisation history, intermediate values, importances, a slice per parameter, a contour of two
 * parameters (binned mean objective) and parallel coordinates. Every plot reads the COMPLETE trials with a finite value
 * of the chosen objective, except the intermediate values, which show every trial that reported one. Log-scale
 * distributions get log axes (log-spaced bins in the contour).
 */
public final class StudyCharts {
    /** Lines in the intermediate-values plot: the latest trials that reported. */
    public static final int INTERMEDIATE_LINES = 300;
    private static final int CONTOUR_BINS = 12;

    private final String study;
    private final List<FrozenTrial> trials;
    private final List<StudyDirection> directions;
    private final int objective;
    private final String objectiveName;
    private final List<FrozenTrial> complete;
    private final Map<String, Distribution> space = new LinkedHashMap<>();

    /**
     * The plots of {@code trials} (in number order) for objective {@code objective} of a study with
     * {@code directions}.
     */
    public StudyCharts(String study, List<FrozenTrial> trials, List<StudyDirection> directions, int objective,
            String objectiveName) {
        if (objective < 0 || objective >= directions.size()) {
            throw new IllegalArgumentException("objective " + objective + " of a study with " + directions.size()
                    + " objective(s)");
        }
        this.study = study;
        this.trials = List.copyOf(trials);
        this.directions = List.copyOf(directions);
        this.objective = objective;
        this.objectiveName = objectiveName;
        this.complete = this.trials.stream().filter(t -> t.state() == TrialState.COMPLETE && t.values() != null
                && t.values().size() == directions.size() && Double.isFinite(t.values().get(objective))).toList();
        for (FrozenTrial t : this.trials) {
            t.distributions().forEach(space::putIfAbsent);
        }
    }

    /** Every parameter seen, in first-suggestion order. */
    public List<String> params() {
        return List.copyOf(space.keySet());
    }

    /** The COMPLETE trials with a finite value of the objective. */
    public List<FrozenTrial> complete() {
        return complete;
    }

    /** Objective value per trial number and the best value so far (a step line). */
    public JFreeChart history() {
        int n = complete.size();
        double[] x = new double[n];
        double[] y = new double[n];
        double[] best = new double[n];
        boolean max = directions.get(objective) == StudyDirection.MAXIMIZE;
        for (int i = 0; i < n; i++) {
            x[i] = complete.get(i).number();
            y[i] = value(complete.get(i));
            best[i] = i == 0 ? y[i] : max ? Math.max(best[i - 1], y[i]) : Math.min(best[i - 1], y[i]);
        }
        JFreeChart chart = Charts.scatter("Optimisation history: " + study, "Trial", objectiveName,
                List.of(new Series("Objective value", x, y), new Series("Best value", x, best)));
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) ((XYPlot) chart.getPlot()).getRenderer();
        r.setSeriesLinesVisible(1, true);
        r.setSeriesShapesVisible(1, false);
        Charts.integerX(chart);
        return chart;
    }

    /** Reported value per step, one line per trial (the latest {@value #INTERMEDIATE_LINES} that reported). */
    public JFreeChart intermediate() {
        List<Series> series = new ArrayList<>();
        List<FrozenTrial> reported = trials.stream().filter(t -> !t.intermediateValues().isEmpty()).toList();
        for (FrozenTrial t : reported.subList(Math.max(0, reported.size() - INTERMEDIATE_LINES), reported.size())) {
            double[] x = t.intermediateValues().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            double[] y = t.intermediateValues().values().stream().mapToDouble(Double::doubleValue).toArray();
            series.add(new Series("trial " + t.number() + " (" + t.state() + ")", x, y));
        }
        JFreeChart chart = Charts.line("Intermediate values: " + study + (reported.size() > INTERMEDIATE_LINES
                ? " (latest " + INTERMEDIATE_LINES + " trials)" : ""), "Step", "Intermediate value", series);
        chart.removeLegend();
        return chart;
    }

    /** Importances of the parameters, most important first. */
    public JFreeChart importance(ObjectiveImportance evaluator) {
        Map<String, Double> imp;
        String note = "";
        try {
            imp = evaluator.evaluate(complete, directions, objective);
        } catch (IllegalStateException e) {
            imp = Map.of();
            note = ": " + e.getMessage();
        }
        List<String> names = new ArrayList<>(imp.keySet());
        double[] values = imp.values().stream().mapToDouble(Double::doubleValue).toArray();
        JFreeChart chart = Charts.bar("Parameter importances: " + study + " (" + evaluator.name() + note + ")",
                "Parameter",
                "Importance for " + objectiveName, names, Map.of("importance", values));
        chart.removeLegend();
        return chart;
    }

    /** The objective against one parameter (categories on a symbol axis, log distributions on a log axis). */
    public JFreeChart slice(String param) {
        Distribution d = require(param);
        List<double[]> pts = new ArrayList<>();
        for (FrozenTrial t : complete) {
            if (t.params().containsKey(param)) {
                pts.add(new double[] {t.internalParam(param), value(t)});
            }
        }
        double[] x = pts.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = pts.stream().mapToDouble(p -> p[1]).toArray();
        JFreeChart chart = Charts.scatter("Slice: " + param, param, objectiveName, List.of(new Series(param, x, y)));
        chart.removeLegend();
        if (d instanceof CategoricalDistribution c) {
            ((XYPlot) chart.getPlot()).setDomainAxis(new SymbolAxis(param, c.choices().stream().map(String::valueOf)
                    .toArray(String[]::new)));
        } else if (isLog(d)) {
            Charts.logAxis(chart, true);
        }
        return chart;
    }

    /** Mean objective over a grid of two parameters ({@value #CONTOUR_BINS} bins each; empty cells blank). */
    public JFreeChart contour(String px, String py) {
        Bins bx = new Bins(require(px));
        Bins by = new Bins(require(py));
        double[][] sum = new double[by.labels.size()][bx.labels.size()];
        int[][] count = new int[by.labels.size()][bx.labels.size()];
        for (FrozenTrial t : complete) {
            if (t.params().containsKey(px) && t.params().containsKey(py)) {
                int c = bx.index(t.internalParam(px));
                int r = by.index(t.internalParam(py));
                sum[r][c] += value(t);
                count[r][c]++;
            }
        }
        double[][] mean = new double[sum.length][];
        for (int r = 0; r < sum.length; r++) {
            mean[r] = new double[sum[r].length];
            for (int c = 0; c < sum[r].length; c++) {
                mean[r][c] = count[r][c] == 0 ? Double.NaN : sum[r][c] / count[r][c];
            }
        }
        return Charts.heatmap("Contour: mean " + objectiveName + " by " + px + " and " + py, px + (bx.log ? " (log)"
                : ""), py + (by.log ? " (log)" : ""), objectiveName, new Grid(bx.labels, by.labels, mean));
    }

    /** Parallel coordinates over {@code params} (all when empty) and the objective, coloured by the objective. */
    public JFreeChart parallel(List<String> params) {
        List<String> names = params.isEmpty() ? params() : params;
        names.forEach(this::require);
        List<String> axes = new ArrayList<>();
        names.forEach(p -> axes.add(p + (isLog(space.get(p)) ? " (log)" : "")));
        axes.add(objectiveName);
        double lo = complete.stream().mapToDouble(this::value).min().orElse(0);
        double hi = complete.stream().mapToDouble(this::value).max().orElse(1);
        List<double[]> rows = new ArrayList<>();
        double[] colour = new double[complete.size()];
        for (int i = 0; i < complete.size(); i++) {
            FrozenTrial t = complete.get(i);
            double[] row = new double[axes.size()];
            for (int a = 0; a < names.size(); a++) {
                String p = names.get(a);
                row[a] = t.params().containsKey(p) ? scaled(space.get(p), t.internalParam(p)) : Double.NaN;
            }
            colour[i] = value(t);
            row[names.size()] = hi > lo ? (colour[i] - lo) / (hi - lo) : 0.5;
            rows.add(row);
        }
        return Charts.parallel("Parallel coordinates: " + study, axes, rows, colour, objectiveName);
    }

    /**
     * The plots {@code optimize} leaves in its output directory: {@code plots/history.png}, {@code
     * plots/intermediate.png}, {@code plots/importance.png} and {@code plots/slice_<param>.png} per parameter. Returns
     * the files written.
     */
    public List<Path> writeArtifactPlots(Path outputDir, ObjectiveImportance evaluator) {
        Path dir = outputDir.resolve("plots");
        List<Path> files = new ArrayList<>();
        files.add(write(history(), dir.resolve("history.png")));
        files.add(write(intermediate(), dir.resolve("intermediate.png")));
        files.add(write(importance(evaluator), dir.resolve("importance.png")));
        for (String p : params()) {
            files.add(write(slice(p), dir.resolve("slice_" + p.replaceAll("[^A-Za-z0-9._-]", "_") + ".png")));
        }
        return files;
    }

    private static Path write(JFreeChart chart, Path file) {
        ChartFile.write(chart, file);
        return file;
    }

    private Distribution require(String param) {
        Distribution d = space.get(param);
        if (d == null) {
            throw new IllegalArgumentException("the study has no parameter '" + param + "'; it has " + space.keySet());
        }
        return d;
    }

    private double value(FrozenTrial t) {
        return t.values().get(objective);
    }

    /** Whether a distribution is log-scaled (float or int with {@code log}). */
    public static boolean isLog(Distribution d) {
        return d instanceof FloatDistribution f && f.log() || d instanceof IntDistribution i && i.log();
    }

    /** An internal value scaled to [0, 1] over its distribution (log-scaled for log distributions). */
    static double scaled(Distribution d, double v) {
        if (d instanceof CategoricalDistribution c) {
            return c.choices().size() == 1 ? 0.5 : v / (c.choices().size() - 1);
        }
        double[] r = range(d);
        boolean log = isLog(d);
        double lo = log ? Math.log(r[0]) : r[0];
        double hi = log ? Math.log(r[1]) : r[1];
        double x = log ? Math.log(v) : v;
        return hi > lo ? (x - lo) / (hi - lo) : 0.5;
    }

    private static double[] range(Distribution d) {
        if (d instanceof FloatDistribution f) {
            return new double[] {f.low(), f.high()};
        }
        IntDistribution i = (IntDistribution) d;
        return new double[] {i.low(), i.high()};
    }

    /** The cells of one contour axis: one per choice, or equal-width (log-width for log) bins of the range. */
    private static final class Bins {
        final List<String> labels = new ArrayList<>();
        final boolean log;
        private final Distribution d;

        Bins(Distribution d) {
            this.d = d;
            this.log = isLog(d);
            if (d instanceof CategoricalDistribution c) {
                c.choices().forEach(x -> labels.add(String.valueOf(x)));
            } else {
                double[] r = range(d);
                int n = d instanceof IntDistribution i && (i.high() - i.low()) / i.step() + 1 <= CONTOUR_BINS
                        ? (int) ((i.high() - i.low()) / i.step() + 1) : CONTOUR_BINS;
                for (int k = 0; k < n; k++) {
                    double centre = (k + 0.5) / n;
                    double v = log ? Math.exp(Math.log(r[0]) + centre * (Math.log(r[1]) - Math.log(r[0])))
                            : r[0] + centre * (r[1] - r[0]);
                    labels.add(String.format(Locale.ROOT, "%.3g", v));
                }
            }
        }

        int index(double internal) {
            if (d instanceof CategoricalDistribution) {
                return (int) internal;
            }
            int n = labels.size();
            return Math.max(0, Math.min(n - 1, (int) Math.floor(scaled(d, internal) * n)));
        }
    }
}
