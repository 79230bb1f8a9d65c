package dev.steeropt.optimizer.samplers.tpe;

import dev.steeropt.optimizer.samplers.Sampler;
import dev.steeropt.optimizer.samplers.SamplerContract;

/** Optuna 5.0's default TPE (joint kernels, constant liar) against the sampler contract. */
class TpeSamplerOptuna5Test implements SamplerContract {
    @Override
    public Sampler newSampler(long seed) {
        return TpeSampler.optuna5().seed(seed).build();
    }
}
