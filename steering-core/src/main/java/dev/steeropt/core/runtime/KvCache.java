package dev.steeropt.core.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.steeropt.core.model.config.ModelConfig;
import dev.steeropt.core.model.layers.AttentionCache;

/**
 * Keys and values of every layer, preallocated at full length ({@code [batch, n_kv_heads, capacity, d_head]} each)
 * and written in place, plus an additive pad mask {@code [batch, capacity]} (0 real, large negative pad).
 *
 * <p>Owned by one call (or decode state) manager; not thread-safe. Inference only: training runs without a cache.
 */
public final class KvCache implements AttentionCache {
    /** Additive mask value for disallowed keys: finite, so a query with no allowed key gets a uniform softmax, not NaN. */
    static final float MASKED = dev.steeropt.core.model.layers.ForwardContext.MASKED;

    private final NDManager owner;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final NDArray padMask;
    private final int batch;
    private final int capacity;
    private int length;

    private KvCache(NDManager owner, NDArray[] keys, NDArray[] values, NDArray padMask, int batch, int capacity, int length) {
        this.owner = owner;
        this.keys = keys;
        this.values = values;
        this.padMask = padMask;
        this.batch = batch;
        this.capacity = capacity;
        this.length = length;
    }

    /**
     * Allocates an empty cache.
     *
     * @param padMask additive mask for the first columns (the prompt), row-major {@code [batch, width]}; later columns are real
     */
    static KvCache allocate(NDManager owner, ModelConfig c, int batch, int capacity, DataType dtype, float[] padMask, int width) {
        NDArray[] k = new NDArray[c.numLayers()];
        NDArray[] v = new NDArray[c.numLayers()];
        Shape s = new Shape(batch, c.numKvHeads(), capacity, c.headDim());
        for (int i = 0; i < k.length; i++) {
            k[i] = owner.zeros(s, dtype);
            v[i] = owner.zeros(s, dtype);
        }
        float[] full = new float[batch * capacity];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(padMask, b * width, full, b * capacity, width);
        }
        NDArray mask = owner.create(full, new Shape(batch, capacity));
        return new KvCache(owner, k, v, mask, batch, capacity, 0);
    }

    /** Columns filled so far. */
    public int length() {
        return length;
    }

    /** Columns available. */
    public int capacity() {
        return capacity;
    }

    /** Rows. */
    public int batch() {
        return batch;
    }

    void advance(int n) {
        if (length + n > capacity) {
            throw new IllegalStateException("KV cache overflow: " + length + " + " + n + " > capacity " + capacity);
        }
        length += n;
    }

    @Override
    public NDArray[] append(NDManager manager, int layer, int firstRow, NDArray k, NDArray v) {
        int rows = (int) k.getShape().get(0);
        int n = (int) k.getShape().get(2);
        int end = length + n;
        if (end > capacity) {
            throw new IllegalStateException("KV cache overflow: " + length + " + " + n + " > capacity " + capacity);
        }
        if (firstRow < 0 || firstRow + rows > batch) {
            throw new IllegalArgumentException("rows " + firstRow + ".." + (firstRow + rows - 1) + " are outside the cache's "
                    + batch + " rows");
        }
        NDIndex write = new NDIndex();
        NDIndex read = new NDIndex();
        if (rows == batch) {
            write.addAllDim(2);
            read.addAllDim(2);
        } else {
            write.addSliceDim(firstRow, firstRow + rows).addAllDim();
            read.addSliceDim(firstRow, firstRow + rows).addAllDim();
        }
        write.addSliceDim(length, end);
        read.addSliceDim(0, end);
        keys[layer].set(write, k);
        values[layer].set(write, v);
        return new NDArray[] {
            keys[layer].getNDArrayInternal().getIndexer(manager).get(keys[layer], read),
            values[layer].getNDArrayInternal().getIndexer(manager).get(values[layer], read)
        };
    }

    /** The pad mask of the first {@code columns} columns, {@code [batch, 1, 1, 1, columns]}, in {@code manager}. */
    NDArray decodeMask(NDManager manager, int columns) {
        return padMask.getNDArrayInternal().getIndexer(manager).get(padMask, new NDIndex().addAllDim().addSliceDim(0, columns))
                .reshape(batch, 1, 1, 1, columns);
    }

    /**
     * A copy with the same contents in another manager, with at least {@code newCapacity} columns.
     *
     * @throws IllegalArgumentException if the new capacity cannot hold the filled columns
     */
    KvCache copy(NDManager target, int newCapacity) {
        if (newCapacity < length) {
            throw new IllegalArgumentException("new capacity " + newCapacity + " is below the filled length " + length);
        }
        NDArray[] k = new NDArray[keys.length];
        NDArray[] v = new NDArray[values.length];
        NDIndex filled = new NDIndex(":, :, :{}", length);
        try (NDManager tmp = target.newSubManager()) {
            for (int i = 0; i < keys.length; i++) {
                Shape s = keys[i].getShape();
                k[i] = target.zeros(new Shape(s.get(0), s.get(1), newCapacity, s.get(3)), keys[i].getDataType());
                v[i] = target.zeros(new Shape(s.get(0), s.get(1), newCapacity, s.get(3)), values[i].getDataType());
                if (length > 0) {
                    k[i].set(filled, keys[i].getNDArrayInternal().getIndexer(tmp).get(keys[i], filled));
                    v[i].set(filled, values[i].getNDArrayInternal().getIndexer(tmp).get(values[i], filled));
                }
            }
            NDArray mask = target.zeros(new Shape(batch, newCapacity), DataType.FLOAT32);
            int keep = Math.min(capacity, newCapacity);
            NDIndex cols = new NDIndex(":, :{}", keep);
            mask.set(cols, padMask.getNDArrayInternal().getIndexer(tmp).get(padMask, cols));
            return new KvCache(target, k, v, mask, batch, newCapacity, length);
        }
    }

    /**
     * A copy for a prefill that resumes at block {@code fromLayer}: layers below it hold this cache's filled columns,
     * layers from it on are empty, and the length is 0, so the resumed forward writes its layers from column 0; the
     * caller then advances the copy by {@link #length()} of this cache.
     *
     * @throws IllegalArgumentException if the new capacity cannot hold the filled columns, or the layer is out of range
     */
    KvCache copyBelow(NDManager target, int newCapacity, int fromLayer) {
        if (fromLayer < 0 || fromLayer > keys.length) {
            throw new IllegalArgumentException("layer " + fromLayer + " is outside 0.." + keys.length);
        }
        if (newCapacity < length) {
            throw new IllegalArgumentException("new capacity " + newCapacity + " is below the filled length " + length);
        }
        KvCache empty = new KvCache(owner, keys, values, padMask, batch, capacity, 0).copy(target, newCapacity);
        NDIndex filled = new NDIndex(":, :, :{}", length);
        if (length > 0) {
            try (NDManager tmp = target.newSubManager()) {
                for (int i = 0; i < fromLayer; i++) {
                    empty.keys[i].set(filled, keys[i].getNDArrayInternal().getIndexer(tmp).get(keys[i], filled));
                    empty.values[i].set(filled, values[i].getNDArrayInternal().getIndexer(tmp).get(values[i], filled));
                }
            }
        }
        return empty;
    }

    /** The manager owning the arrays. */
    NDManager owner() {
        return owner;
    }
}
