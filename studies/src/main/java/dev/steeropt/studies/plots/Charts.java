package dev.steeropt.studies.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The charts SteerOpt draws, with one look: white background, light grid, a fixed palette, labelled axes and a title.
 * Each factory returns a JFreeChart that {@link ChartFile} writes; the decorators ({@link #referenceLine}, {@link
 * #logAxis}) adjust one in place.
 */
public final class Charts {
    /** Series colours, in order (the first series is blue, the second orange, …). */
    public static final List<Color> PALETTE = List.of(new Color(31, 119, 180), new Color(255, 127, 14),
            new Color(44, 160, 44), new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75),
            new Color(227, 119, 194), new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207));
    private static final Color GRID = new Color(225, 225, 225);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final int MAX_ANNOTATED_CELLS = 400;

    private Charts() {}

    /** Lines with a marker at each point, one per series. */
    public static JFreeChart line(String title, String xLabel, String yLabel, List<Series> series) {
        return xy(title, xLabel, yLabel, series, true);
    }

    /** Points only, one colour per series (e.g. a front, a baseline and a chosen point as three series). */
    public static JFreeChart scatter(String title, String xLabel, String yLabel, List<Series> series) {
        return xy(title, xLabel, yLabel, series, false);
    }

    /** Grouped vertical bars: one group per category, one bar per entry of {@code bars} (insertion order kept). */
    public static JFreeChart bar(String title, String categoryLabel, String valueLabel, List<String> categories,
            Map<String, double[]> bars) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map.Entry<String, double[]> e : bars.entrySet()) {
            if (e.getValue().length != categories.size()) {
                throw new IllegalArgumentException("bars '" + e.getKey() + "' have " + e.getValue().length + " values for "
                        + categories.size() + " categories");
            }
            for (int i = 0; i < categories.size(); i++) {
                data.addValue(e.getValue()[i], e.getKey(), categories.get(i));
            }
        }
        CategoryAxis x = new CategoryAxis(categoryLabel);
        if (categories.size() > 12) {
            x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        for (int i = 0; i < bars.size(); i++) {
            renderer.setSeriesPaint(i, colour(i));
        }
        CategoryPlot plot = new CategoryPlot(data, x, new NumberAxis(valueLabel), renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        style(plot);
        return chart(title, plot, bars.size() > 1);
    }

    /**
     * A grid of coloured cells with a colour bar: diverging (blue, white, red, centred on 0) when the values have both
     * signs, sequential (white to dark blue) otherwise; small grids print each cell's value.
     */
    public static JFreeChart heatmap(String title, String xLabel, String yLabel, String valueLabel, Grid grid) {
        int nx = grid.columns().size();
        int ny = grid.rows().size();
        double[][] xyz = new double[3][nx * ny];
        int k = 0;
        for (int r = 0; r < ny; r++) {
            for (int c = 0; c < nx; c++) {
                xyz[0][k] = c;
                xyz[1][k] = r;
                xyz[2][k] = grid.at(r, c);
                k++;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries(valueLabel, xyz);
        ColourScale scale = ColourScale.fitting(grid.finiteRange());
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(scale);
        SymbolAxis x = new SymbolAxis(xLabel, grid.columns().toArray(String[]::new));
        SymbolAxis y = new SymbolAxis(yLabel, grid.rows().toArray(String[]::new));
        x.setGridBandsVisible(false);
        y.setGridBandsVisible(false);
        x.setRange(-0.5, nx - 0.5);
        y.setRange(-0.5, ny - 0.5);
        if (nx > 12) {
            x.setVerticalTickLabels(true);
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        if (nx * ny <= MAX_ANNOTATED_CELLS) {
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, nx * ny <= 100 ? 11 : 8);
            for (int r = 0; r < ny; r++) {
                for (int c = 0; c < nx; c++) {
                    double v = grid.at(r, c);
                    if (Double.isFinite(v)) {
                        XYTextAnnotation label = new XYTextAnnotation(cellText(v), c, r);
                        label.setFont(font);
                        label.setTextAnchor(TextAnchor.CENTER);
                        label.setPaint(scale.textColourOn(v));
                        plot.addAnnotation(label);
                    }
                }
            }
        }
        JFreeChart chart = chart(title, plot, false);
        NumberAxis barAxis = new NumberAxis(valueLabel);
        barAxis.setRange(scale.getLowerBound(), scale.getUpperBound());
        PaintScaleLegend legend = new PaintScaleLegend(scale, barAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setAxisLocation(AxisLocation.TOP_OR_RIGHT);
        legend.setMargin(new RectangleInsets(10, 10, 10, 10));
        legend.setStripWidth(14);
        legend.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(legend);
        return chart;
    }

    /**
     * Parallel coordinates: one vertical axis per entry of {@code axes}, each line one row of {@code rows} (values
     * already scaled to [0, 1] per axis; NaN breaks the line), coloured by {@code colourBy} on a colour bar.
     */
    public static JFreeChart parallel(String title, List<String> axes, List<double[]> rows, double[] colourBy,
            String colourLabel) {
        if (rows.size() != colourBy.length) {
            throw new IllegalArgumentException(rows.size() + " rows for " + colourBy.length + " colour values");
        }
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : colourBy) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        ColourScale scale = ColourScale.fitting(lo > hi ? new double[] {0, 1}
                : lo == hi ? new double[] {lo - 0.5, hi + 0.5} : new double[] {lo, hi});
        for (int r = 0; r < rows.size(); r++) {
            double[] row = rows.get(r);
            if (row.length != axes.size()) {
                throw new IllegalArgumentException("row " + r + " has " + row.length + " values for " + axes.size() + " axes");
            }
            XYSeries xy = new XYSeries("row " + r, false, true);
            for (int a = 0; a < row.length; a++) {
                xy.add(a, Double.isFinite(row[a]) ? row[a] : null);
            }
            data.addSeries(xy);
            renderer.setSeriesPaint(r, scale.getPaint(colourBy[r]));
            renderer.setSeriesStroke(r, new BasicStroke(1f));
        }
        SymbolAxis x = new SymbolAxis(null, axes.toArray(String[]::new));
        x.setGridBandsVisible(false);
        x.setRange(-0.1, axes.size() - 0.9);
        NumberAxis y = new NumberAxis("scaled to each axis' range");
        y.setRange(-0.02, 1.02);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        style(plot);
        plot.setDomainGridlinePaint(Color.DARK_GRAY);
        JFreeChart chart = chart(title, plot, false);
        NumberAxis barAxis = new NumberAxis(colourLabel);
        barAxis.setRange(scale.getLowerBound(), scale.getUpperBound());
        PaintScaleLegend legend = new PaintScaleLegend(scale, barAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setAxisLocation(AxisLocation.TOP_OR_RIGHT);
        legend.setMargin(new RectangleInsets(10, 10, 10, 10));
        legend.setStripWidth(14);
        legend.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(legend);
        return chart;
    }

    /** A dashed horizontal line at {@code y} on an XY or category chart, labelled when {@code label} is not null. */
    public static void referenceLine(JFreeChart chart, double y, String label) {
        ValueMarker marker = new ValueMarker(y, Color.GRAY,
                new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 5f}, 0f));
        if (label != null) {
            marker.setLabel(label);
            marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            marker.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        }
        if (chart.getPlot() instanceof XYPlot xy) {
            xy.addRangeMarker(marker);
        } else if (chart.getPlot() instanceof CategoryPlot cat) {
            cat.addRangeMarker(marker);
        } else {
            throw new IllegalArgumentException("reference lines go on XY or category charts");
        }
    }

    /** Makes the x ({@code xAxis}) or y axis of an XY chart logarithmic (base 10); every value must be positive. */
    public static void logAxis(JFreeChart chart, boolean xAxis) {
        XYPlot plot = (XYPlot) chart.getPlot();
        ValueAxis old = xAxis ? plot.getDomainAxis() : plot.getRangeAxis();
        LogAxis log = new LogAxis(old.getLabel());
        log.setBase(10);
        log.setSmallestValue(1e-300);
        if (xAxis) {
            plot.setDomainAxis(log);
        } else {
            plot.setRangeAxis(log);
        }
    }

    /** Integer ticks on the x axis of an XY chart (layers, trial numbers). */
    public static void integerX(JFreeChart chart) {
        ((XYPlot) chart.getPlot()).getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    }

    /** Fixes the y range of an XY or category chart (e.g. 0 to 1 for accuracies). */
    public static void yRange(JFreeChart chart, double lower, double upper) {
        if (chart.getPlot() instanceof XYPlot xy) {
            xy.getRangeAxis().setRange(lower, upper);
        } else {
            ((CategoryPlot) chart.getPlot()).getRangeAxis().setRange(lower, upper);
        }
    }

    private static JFreeChart xy(String title, String xLabel, String yLabel, List<Series> series, boolean lines) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : series) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            double[] x = s.x();
            double[] y = s.y();
            for (int i = 0; i < x.length; i++) {
                xy.add(x[i], Double.isFinite(y[i]) ? y[i] : null);
            }
            data.addSeries(xy);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(lines, true);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, colour(i));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        style(plot);
        return chart(title, plot, series.size() > 1);
    }

    private static Paint colour(int i) {
        return PALETTE.get(i % PALETTE.size());
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlinePaint(Color.DARK_GRAY);
    }

    private static void style(CategoryPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlinePaint(Color.DARK_GRAY);
    }

    private static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot, boolean legend) {
        JFreeChart chart = new JFreeChart(title, TITLE, plot, legend);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        return chart;
    }

    private static String cellText(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a < 0.01 || a >= 1e4)) {
            return String.format(Locale.ROOT, "%.1e", v);
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
    }
}
