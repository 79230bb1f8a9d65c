package dev.steeropt.optimizer.distributions;

import java.math.BigDecimal;

/**
 * A real-valued parameter on {@code [low, high]}, optionally log-scaled or on a grid of {@code step}.
 *
 * <p>As in Optuna, {@code log} and {@code step} exclude each other, {@code log} needs {@code low > 0}, and with a
 * step {@code high} is lowered to the last grid point {@code low + k*step} (computed in decimal arithmetic).
 *
 * @param step grid step, or {@code null} for a continuous range
 */
public record FloatDistribution(double low, double high, boolean log, Double step) implements Distribution {

    public FloatDistribution {
        if (!Double.isFinite(low) || !Double.isFinite(high)) {
            throw new IllegalArgumentException("FloatDistribution bounds must be finite, got low=" + low + ", high=" + high);
        }
        if (low > high) {
            throw new IllegalArgumentException("FloatDistribution needs low <= high, got low=" + low + ", high=" + high);
        }
        if (log && step != null) {
            throw new IllegalArgumentException("FloatDistribution cannot have both log=true and step=" + step);
        }
        if (log && low <= 0.0) {
            throw new IllegalArgumentException("FloatDistribution with log=true needs low > 0, got low=" + low);
        }
        if (step != null) {
            if (!(step > 0.0) || !Double.isFinite(step)) {
                throw new IllegalArgumentException("FloatDistribution step must be > 0, got step=" + step);
            }
            high = adjustHigh(low, high, step);
        }
    }

    /** A continuous uniform range. */
    public static FloatDistribution of(double low, double high) {
        return new FloatDistribution(low, high, false, null);
    }

    /** A log-uniform range ({@code low > 0}). */
    public static FloatDistribution log(double low, double high) {
        return new FloatDistribution(low, high, true, null);
    }

    /** A grid {@code low, low+step, ...} up to {@code high}. */
    public static FloatDistribution stepped(double low, double high, double step) {
        return new FloatDistribution(low, high, false, step);
    }

    static double adjustHigh(double low, double high, double step) {
        BigDecimal lo = new BigDecimal(Double.toString(low));
        BigDecimal st = new BigDecimal(Double.toString(step));
        BigDecimal range = new BigDecimal(Double.toString(high)).subtract(lo);
        BigDecimal k = range.divideToIntegralValue(st);
        return k.multiply(st).add(lo).doubleValue();
    }

    @Override
    public double toInternal(Object external) {
        if (!(external instanceof Number n)) {
            throw new IllegalArgumentException("FloatDistribution expects a number, got " + external);
        }
        double v = n.doubleValue();
        if (Double.isNaN(v)) {
            throw new IllegalArgumentException("FloatDistribution does not accept NaN");
        }
        return v;
    }

    @Override
    public Object toExternal(double internal) {
        return internal;
    }

    @Override
    public boolean contains(double v) {
        if (step == null) {
            return low <= v && v <= high;
        }
        double k = (v - low) / step;
        return low <= v && v <= high && Math.abs(k - Math.round(k)) < 1e-8;
    }

    @Override
    public boolean isSingle() {
        if (low == high) {
            return true;
        }
        return step != null && high - low < step;
    }
}
