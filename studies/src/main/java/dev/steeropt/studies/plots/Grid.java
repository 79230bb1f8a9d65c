package dev.steeropt.studies.plots;

import java.util.List;

/**
 * Values of a heatmap: {@code values[row][column]}, with a label per column (x axis) and per row (y axis).
 * {@code NaN} cells are drawn blank.
 */
public record Grid(List<String> columns, List<String> rows, double[][] values) {
    public Grid {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        if (values.length != rows.size()) {
            throw new IllegalArgumentException(values.length + " value rows for " + rows.size() + " row labels");
        }
        double[][] copy = new double[values.length][];
        for (int r = 0; r < values.length; r++) {
            if (values[r].length != columns.size()) {
                throw new IllegalArgumentException("row " + r + " has " + values[r].length + " values for " + columns.size() + " columns");
            }
            copy[r] = values[r].clone();
        }
        values = copy;
    }

    /** The value at one cell. */
    public double at(int row, int column) {
        return values[row][column];
    }

    @Override
    public double[][] values() {
        double[][] copy = new double[values.length][];
        for (int r = 0; r < values.length; r++) {
            copy[r] = values[r].clone();
        }
        return copy;
    }

    /** Smallest and largest finite value, or {0, 1} when there is none. */
    double[] finiteRange() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            return new double[] {0, 1};
        }
        return lo == hi ? new double[] {lo - 0.5, hi + 0.5} : new double[] {lo, hi};
    }
}
