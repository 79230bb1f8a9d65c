package dev.steeropt.optimizer.samplers.tpe;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.samplers.RandomSampler;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * TPE sampling once the start-up trials are done. One step over a space: l(x) is fitted to the below trials and g(x)
 * to the above ones ({@link BelowAboveFit}), {@code nEiCandidates} candidates are drawn from l (plus the local
 * candidates from the best trial's narrowed kernel), and the one maximising {@code log l(x) - log g(x)} is returned.
 * With {@link TpeSampler.CategoricalStrategy#CONDITIONAL} a space mixing categorical and numeric params takes two
 * steps: the categoricals first, then the numerics learnt from the trials with the same categorical values.
 *
 * <p>Draws from the sampler's one random generator; not thread-safe (the sampler serialises its calls).
 */
final class TpeStep {
    private final TpeOptions options;
    private final BelowAboveFit fitter;
    private final SplittableRandom rng;

    TpeStep(TpeOptions options, BelowAboveFit fitter, SplittableRandom rng) {
        this.options = options;
        this.fitter = fitter;
        this.rng = rng;
    }

    /** Internal values for {@code space}, learning from {@code trials}, by the configured categorical strategy. */
    Map<String, Double> sample(Study study, StudyHistory h, List<FrozenTrial> trials,
            Map<String, Distribution> space) {
        if (options.categoricalStrategy() == TpeSampler.CategoricalStrategy.JOINT) {
            return sampleJoint(study, h, trials, space);
        }
        Map<String, Distribution> cats = new TreeMap<>();
        Map<String, Distribution> nums = new TreeMap<>();
        for (Map.Entry<String, Distribution> e : space.entrySet()) {
            (e.getValue() instanceof CategoricalDistribution ? cats : nums).put(e.getKey(), e.getValue());
        }
        if (cats.isEmpty() || nums.isEmpty()) {
            return sampleJoint(study, h, trials, space);
        }
        Map<String, Double> chosen;
        if (rng.nextDouble() < options.categoricalExploration()) {
            chosen = new LinkedHashMap<>();
            for (Map.Entry<String, Distribution> e : cats.entrySet()) {
                chosen.put(e.getKey(), RandomSampler.sample(rng, e.getValue()));
            }
        } else {
            chosen = sampleJoint(study, h, trials, cats);
        }
        List<String> catNames = List.copyOf(cats.keySet());
        double[] want = new double[catNames.size()];
        for (int j = 0; j < want.length; j++) {
            want[j] = chosen.get(catNames.get(j));
        }
        int[] cols = h.rows.columnsOf(catNames);
        List<FrozenTrial> same = new ArrayList<>();
        for (FrozenTrial t : trials) {
            boolean match;
            if (t.state().isFinished()) { // compare the cached row in place, without building a row per trial
                double[] r = h.rows.row(t);
                match = true;
                for (int j = 0; j < cols.length && match; j++) {
                    int c = h.rows.resolve(cols, j, catNames.get(j)); // h.rows.row may have added it
                    match = c >= 0 && c < r.length && r[c] == want[j];
                }
            } else {
                double[] r = ObservationMatrix.row(h.rows, t, catNames, options.constantLiar());
                match = r != null && Arrays.equals(r, want);
            }
            if (match) {
                same.add(t);
            }
        }
        Map<String, Double> out = new LinkedHashMap<>(chosen);
        out.putAll(sampleJoint(study, h, same, nums));
        return out;
    }

    /** One TPE step over {@code space}, learning from {@code trials}. */
    Map<String, Double> sampleJoint(Study study, StudyHistory h, List<FrozenTrial> trials,
            Map<String, Distribution> space) {
        List<String> names = new ArrayList<>(space.keySet());
        List<Distribution> dists = new ArrayList<>(space.values());
        boolean numeric = false;
        for (Distribution d : dists) {
            numeric |= !(d instanceof CategoricalDistribution);
        }
        // sorted orders only serve numeric bandwidths
        TpeSampler.Fit fit = fitter.fit(study, h, trials, names, numeric);
        double[][] below = fit.belowObs();
        double[][] above = fit.aboveObs();
        int bestKernel = fit.bestKernel();
        int nb = below.length == 0 ? 0 : below[0].length;
        int na = above.length == 0 ? 0 : above[0].length;
        ParzenEstimator.Parameters parzen = options.parzen();
        ParzenEstimator l = new ParzenEstimator(names, dists, below, belowWeights(study, nb), parzen,
                fit.belowOrders());
        ParzenEstimator g = new ParzenEstimator(names, dists, above, options.weights().apply(na), parzen,
                fit.aboveOrders());
        int nEi = options.nEiCandidates();
        int nLocal = options.localCandidates();
        double[][] cand = l.sample(rng, nEi);
        if (bestKernel >= 0) {
            double[][] local = l.sampleKernel(rng, nLocal, bestKernel, options.localScale());
            for (int j = 0; j < cand.length; j++) {
                double[] both = Arrays.copyOf(cand[j], nEi + nLocal);
                System.arraycopy(local[j], 0, both, nEi, nLocal);
                cand[j] = both;
            }
        }
        double[] ll = l.logPdf(cand);
        double[] gg = g.logPdf(cand);
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < ll.length; c++) {
            double s = ll[c] - gg[c];
            if (s > bestScore) {
                bestScore = s;
                best = c;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int j = 0; j < names.size(); j++) {
            out.put(names.get(j), cand[j][best]);
        }
        return out;
    }

    /** Weights of the below observations: the configured weights, all 1 for several objectives (Optuna 5.0). */
    private double[] belowWeights(Study study, int nb) {
        if (study.directions().size() > 1) {
            double[] w = new double[nb];
            Arrays.fill(w, 1.0); // Optuna 5.0 gives every below trial weight 1 for several objectives
            return w;
        }
        return options.weights().apply(nb);
    }
}
