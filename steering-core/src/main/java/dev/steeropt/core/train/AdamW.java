package dev.steeropt.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter): Adam moments with bias correction and decoupled weight decay, after an optional
 * clip of the global gradient norm. Runs outside any {@code GradientCollector} (PyTorch's grad mode is off there), so
 * the in-place updates of the weights are not recorded.
 *
 * <p>Memory: the moments live in a manager owned by this object ({@link #close}); every temporary of a step goes to the
 * step manager passed to {@link #step}.
 */
final class AdamW implements AutoCloseable {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.95;
    private static final double EPS = 1e-8;

    private final List<TrainableLlama.Param> params;
    private final NDManager manager;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private int t;

    AdamW(NDManager parent, List<TrainableLlama.Param> params) {
        this.params = List.copyOf(params);
        this.manager = parent.newSubManager();
        for (TrainableLlama.Param p : this.params) {
            m.add(manager.zeros(p.array().getShape()));
            v.add(manager.zeros(p.array().getShape()));
        }
    }

    /**
     * One update from the gradients the last backward left on the weights, which are then zeroed. A gradient with a
     * non-finite norm is zeroed without an update.
     *
     * @param step temporaries' scope
     * @return the global gradient norm before clipping (NaN or infinite when the update was skipped)
     */
    double step(NDManager step, double lr, double weightDecay, double clip) {
        List<NDArray> grads = new ArrayList<>(params.size());
        double sq = 0;
        for (TrainableLlama.Param p : params) {
            NDArray g = p.array().getGradient();
            g.attach(step); // the wrapper only; the gradient itself stays on the weight
            grads.add(g);
            sq += g.square().sum().getFloat();
        }
        double norm = Math.sqrt(sq);
        if (!Double.isFinite(norm)) {
            // a non-finite gradient is not applied (weights and moments unchanged), only cleared; the caller decides
            // how many such batches in a row mean the run has diverged
            for (NDArray g : grads) {
                g.set(new NDIndex("..."), 0f);
            }
            return norm;
        }
        double scale = clip > 0 && norm > clip ? clip / norm : 1.0;
        t++;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        for (int i = 0; i < params.size(); i++) {
            TrainableLlama.Param p = params.get(i);
            NDArray g = scale == 1.0 ? grads.get(i) : grads.get(i).mul(scale);
            m.get(i).muli(BETA1).addi(g.mul(1 - BETA1));
            v.get(i).muli(BETA2).addi(g.square().mul(1 - BETA2));
            // results attach to their first input's manager: move the bias-corrected moments into the step scope so
            // that nothing derived from them stays in this optimiser's long-lived manager
            NDArray mHat = m.get(i).div(c1);
            mHat.attach(step);
            NDArray vHat = v.get(i).div(c2);
            vHat.attach(step);
            NDArray update = mHat.div(vHat.sqrt().add(EPS));
            if (p.decay() && weightDecay > 0) {
                p.array().muli(1 - lr * weightDecay);
            }
            p.array().subi(update.mul(lr));
            grads.get(i).subi(grads.get(i)); // zero the accumulated gradient, as PyTorch's zero_grad()
        }
        return norm;
    }

    /** Arrays held by this optimiser (its two moments per weight); constant across steps. */
    int managedArrayCount() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        manager.close();
    }
}
