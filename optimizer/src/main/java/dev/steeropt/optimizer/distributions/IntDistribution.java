package dev.steeropt.optimizer.distributions;

/**
 * An integer parameter on {@code [low, high]} with a grid {@code step} (1 by default), optionally log-scaled.
 *
 * <p>As in Optuna, {@code log} needs {@code low >= 1} and {@code step == 1}; {@code high} is lowered to the last
 * grid point.
 */
public record IntDistribution(long low, long high, boolean log, long step) implements Distribution {

    public IntDistribution {
        if (low > high) {
            throw new IllegalArgumentException("IntDistribution needs low <= high, got low=" + low + ", high=" + high);
        }
        if (step <= 0) {
            throw new IllegalArgumentException("IntDistribution step must be >= 1, got step=" + step);
        }
        if (log && step != 1) {
            throw new IllegalArgumentException("IntDistribution cannot have both log=true and step=" + step);
        }
        if (log && low < 1) {
            throw new IllegalArgumentException("IntDistribution with log=true needs low >= 1, got low=" + low);
        }
        high = low + (high - low) / step * step;
    }

    /** Integers {@code low..high}. */
    public static IntDistribution of(long low, long high) {
        return new IntDistribution(low, high, false, 1);
    }

    @Override
    public double toInternal(Object external) {
        if (!(external instanceof Number n)) {
            throw new IllegalArgumentException("IntDistribution expects an integer, got " + external);
        }
        double v = n.doubleValue();
        if (Double.isNaN(v)) {
            throw new IllegalArgumentException("IntDistribution does not accept NaN");
        }
        return v;
    }

    @Override
    public Object toExternal(double internal) {
        return (long) internal;
    }

    @Override
    public boolean contains(double v) {
        if (v != Math.rint(v)) {
            return false;
        }
        long x = (long) v;
        return low <= x && x <= high && (x - low) % step == 0;
    }

    @Override
    public boolean isSingle() {
        return low == high || high - low < step;
    }
}
