/**
 * Contrastive Activation Addition vectors: residual-stream reads at one position per sequence for many layers per
 * forward ({@link dev.steeropt.core.steering.caa.ResidualReader}) and their mean difference and mean norm
 * ({@link dev.steeropt.core.steering.caa.CaaVectors}). Inputs are token ids; building the text pairs and caching the
 * activations belong to the caller.
 */
package dev.steeropt.core.steering.caa;
