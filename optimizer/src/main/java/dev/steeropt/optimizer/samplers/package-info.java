/**
 * The sampler contract (relative search space, joint sample, independent sample) and the random sampler; TPE lives in
 * {@code samplers.tpe}.
 */
package dev.steeropt.optimizer.samplers;
