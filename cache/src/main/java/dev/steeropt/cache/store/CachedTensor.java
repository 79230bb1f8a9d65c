package dev.steeropt.cache.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * One float32 tensor held in plain Java memory (row-major), as the cache stores and returns it. No native memory
 * crosses the cache boundary.
 */
public record CachedTensor(String name, long[] shape, float[] data) {

    public CachedTensor {
        Objects.requireNonNull(name, "name");
        shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension: " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape) + " ("
                    + n + " elements) but " + data.length + " values");
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of bytes of the payload. */
    public long byteSize() {
        return 4L * data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CachedTensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "CachedTensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}
