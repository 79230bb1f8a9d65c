package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Where attention keeps keys and values across forward steps (an inference-only fast path; the plain forward used
 * for training passes no cache and attends over the current tokens only).
 */
public interface AttentionCache {
    /**
     * Stores this step's keys and values of one layer and returns all keys and values so far.
     *
     * @param manager step scope for the returned views
     * @param layer   decoder layer
     * @param k       {@code [batch, n_kv_heads, new, d_head]}
     * @param v       same shape
     * @return {@code {keys, values}}, each {@code [batch, n_kv_heads, past + new, d_head]}
     */
    default NDArray[] append(NDManager manager, int layer, NDArray k, NDArray v) {
        return append(manager, layer, 0, k, v);
    }

    /**
     * Stores this step's keys and values of one layer for the rows {@code firstRow .. firstRow + k.rows − 1} and returns
     * those rows' keys and values so far (a prefill that runs the batch in row groups calls this once per group).
     *
     * @param manager  step scope for the returned views
     * @param layer    decoder layer
     * @param firstRow first cache row the given rows go to
     * @param k        {@code [rows, n_kv_heads, new, d_head]}
     * @param v        same shape
     * @return {@code {keys, values}}, each {@code [rows, n_kv_heads, past + new, d_head]}
     */
    NDArray[] append(NDManager manager, int layer, int firstRow, NDArray k, NDArray v);
}
