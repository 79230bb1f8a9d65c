/**
 * The on-disk activation cache: activations for steering vectors and probes, keyed by everything that determines
 * them, so a second study on the same model and splits builds no vector twice.
 *
 * <p>Entry points: {@link dev.steeropt.cache.key.ActivationKey} names an entry (model fingerprint, split and its
 * id-list hash, hook point, prompt-variant hash, tokenisation, read position, format version);
 * {@link dev.steeropt.cache.store.ActivationStore#getOrCompute} returns it, computing and storing it once across
 * threads and processes. Payloads are plain {@code float[]} in {@link dev.steeropt.cache.store.CachedTensor}; no
 * native memory crosses the module boundary.
 */
package dev.steeropt.cache;
