/**
 * Steering methods on top of the hookable runtime: {@link dev.steeropt.core.steering.SteeringVector} (a direction with
 * provenance, safetensors and llama.cpp GGUF files), the sealed {@link dev.steeropt.core.steering.SteeringMethod}
 * (one record per method: CAA, DAC), the one generation entry point
 * {@link dev.steeropt.core.steering.SteeredGeneration}, and {@link dev.steeropt.core.steering.ZeroSteeringCheck},
 * which proves that strength 0 reproduces the baseline bit for bit.
 *
 * {@snippet :
 * CaaVectors caa = CaaVectors.build(model, pairs, ReadPosition.lastToken(), List.of(6, 8, 10), 8);
 * SteeringVector v = caa.vector(8, Map.of(SteeringVector.KEY_MODEL_FINGERPRINT, fingerprint));
 * SteeredResult r = SteeredGeneration.generate(model, prompts, SteeringMethod.Dac.of(v, 2.0),
 *         SteeredGeneration.Options.greedy(256).withStops(model.eosTokenIds(), List.of(), null));
 * }
 */
package dev.steeropt.core.steering;
