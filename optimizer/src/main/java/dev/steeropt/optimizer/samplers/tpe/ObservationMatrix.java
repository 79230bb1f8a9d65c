package dev.steeropt.optimizer.samplers.tpe;

import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.trial.FrozenTrial;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Trials' internal param values as the observation matrix {@code [param][trial]} a {@link ParzenEstimator} is built
 * from, or one trial's values as a row. Finished trials are read from the study's {@link FinishedTrialRows}; RUNNING
 * ones (only learnt from with the constant liar) from their params and the relative params they were given
 * ({@link RelativeParamsAttr}).
 */
final class ObservationMatrix {
    private ObservationMatrix() {}

    /**
     * Internal values {@code [param][trial]} of those {@code trials} that have every param of {@code names}, in the
     * order of {@code trials}; {@code constantLiar} says whether RUNNING trials' relative params count.
     */
    static double[][] of(FinishedTrialRows rows, List<FrozenTrial> trials, List<String> names, boolean constantLiar) {
        int d = names.size();
        int[] cols = rows.columnsOf(names);
        double[][] buf = new double[d][trials.size()];
        int n = 0;
        for (FrozenTrial t : trials) {
            if (t.state().isFinished()) {
                double[] cached = rows.row(t); // may add columns, never renumbers them
                boolean complete = true;
                for (int j = 0; j < d && complete; j++) {
                    int c = rows.resolve(cols, j, names.get(j));
                    double v = c >= 0 && c < cached.length ? cached[c] : Double.NaN;
                    complete = !Double.isNaN(v);
                    buf[j][n] = v;
                }
                if (complete) {
                    n++;
                }
            } else {
                double[] r = row(rows, t, names, constantLiar);
                if (r != null) {
                    for (int j = 0; j < d; j++) {
                        buf[j][n] = r[j];
                    }
                    n++;
                }
            }
        }
        if (n == trials.size()) {
            return buf;
        }
        double[][] out = new double[d][];
        for (int j = 0; j < d; j++) {
            out[j] = Arrays.copyOf(buf[j], n);
        }
        return out;
    }

    /**
     * Internal values of {@code names} in trial {@code t}, or null if it lacks one. Finished trials are read from
     * {@code rows}; RUNNING ones from their params and, with {@code constantLiar}, {@code tpe:relative_params}.
     */
    static double[] row(FinishedTrialRows rows, FrozenTrial t, List<String> names, boolean constantLiar) {
        double[] r = new double[names.size()];
        if (t.state().isFinished()) {
            double[] cached = rows.row(t);
            for (int j = 0; j < r.length; j++) {
                int c = rows.columnOf(names.get(j));
                double v = c < 0 || c >= cached.length ? Double.NaN : cached[c];
                if (Double.isNaN(v)) {
                    return null;
                }
                r[j] = v;
            }
            return r;
        }
        Map<String, Double> liar = constantLiar ? RelativeParamsAttr.read(t) : Map.of();
        for (int j = 0; j < r.length; j++) {
            String name = names.get(j);
            Distribution d = t.distributions().get(name);
            if (d != null) {
                r[j] = d.toInternal(t.params().get(name));
            } else if (liar.containsKey(name)) {
                r[j] = liar.get(name);
            } else {
                return null;
            }
        }
        return r;
    }
}
