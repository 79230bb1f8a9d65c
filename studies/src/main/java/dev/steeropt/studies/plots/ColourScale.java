package dev.steeropt.studies.plots;

import java.awt.Color;
import java.awt.Paint;
import org.jfree.chart.renderer.PaintScale;

/**
 * The heatmaps' colour scale: diverging blue–white–red, symmetric around 0, when the values have both signs;
 * sequential white to dark blue otherwise. NaN and values outside the bounds get the nearest end (NaN: light grey).
 */
final class ColourScale implements PaintScale {
    private static final Color NEGATIVE = new Color(49, 54, 149);
    private static final Color MIDDLE = Color.WHITE;
    private static final Color POSITIVE = new Color(165, 0, 38);
    private static final Color HIGH = new Color(8, 48, 107);
    private static final Color MISSING = new Color(235, 235, 235);

    private final double lower;
    private final double upper;
    private final boolean diverging;

    private ColourScale(double lower, double upper, boolean diverging) {
        this.lower = lower;
        this.upper = upper;
        this.diverging = diverging;
    }

    /** The scale for values spanning {@code range[0]} to {@code range[1]}. */
    static ColourScale fitting(double[] range) {
        if (range[0] < 0 && range[1] > 0) {
            double m = Math.max(-range[0], range[1]);
            return new ColourScale(-m, m, true);
        }
        return new ColourScale(range[0], range[1], false);
    }

    @Override
    public double getLowerBound() {
        return lower;
    }

    @Override
    public double getUpperBound() {
        return upper;
    }

    @Override
    public Paint getPaint(double value) {
        return colour(value);
    }

    /** Black on light cells, white on dark ones. */
    Color textColourOn(double value) {
        Color c = colour(value);
        double luminance = 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
        return luminance < 128 ? Color.WHITE : Color.BLACK;
    }

    private Color colour(double value) {
        if (Double.isNaN(value)) {
            return MISSING;
        }
        double t = (Math.max(lower, Math.min(upper, value)) - lower) / (upper - lower);
        if (!diverging) {
            return mix(MIDDLE, HIGH, t);
        }
        return t < 0.5 ? mix(NEGATIVE, MIDDLE, t * 2) : mix(MIDDLE, POSITIVE, (t - 0.5) * 2);
    }

    private static Color mix(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }
}
