package dev.steeropt.core.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.steeropt.core.model.ModelLoadException;
import dev.steeropt.core.model.layers.Linear;
import dev.steeropt.core.model.layers.OneDnn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Turns safetensors tensors into NDArrays of the compute dtype, checking each shape against what the config implies.
 *
 * <p>F32 and F16 bytes are handed to the engine and copied once; BF16 is widened to F32 in Java first
 * ({@code floatBits = bf16Bits << 16}, exact), because BF16 NDArrays are not usable with this engine build. Every
 * array is created in the manager given at construction; the caller moves the final weights to the model manager.
 */
public final class WeightLoader {
    private final WeightStore store;
    private final NDManager manager;
    private final DataType dtype;
    private final OneDnn kernels;

    /**
     * @param store   the weights to read
     * @param manager where the arrays are created (a load-time scope)
     * @param dtype   compute dtype of the returned arrays: FLOAT32 or FLOAT16
     */
    public WeightLoader(WeightStore store, NDManager manager, DataType dtype) {
        this(store, manager, dtype, null);
    }

    /**
     * A loader whose {@link #linear} layers are packed for {@code kernels} as they are made (inference only), so the
     * dense weights are freed layer by layer and loading never holds the model twice.
     *
     * @param kernels the kernels, or null to keep dense layers
     */
    public WeightLoader(WeightStore store, NDManager manager, DataType dtype, OneDnn kernels) {
        this.kernels = kernels;
        this.store = Objects.requireNonNull(store, "store");
        this.manager = Objects.requireNonNull(manager, "manager");
        if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16) {
            throw new IllegalArgumentException("compute dtype must be FLOAT32 or FLOAT16, got " + dtype);
        }
        this.dtype = dtype;
    }

    /**
     * A projection layer over a loaded weight {@code [in, out]}, packed at once when this loader has kernels.
     *
     * @param bias {@code [out]} or null
     */
    public Linear linear(NDArray weight, NDArray bias) {
        Linear l = new Linear(weight, bias);
        if (kernels != null) {
            l.packForInference(kernels);
        }
        return l;
    }

    /** The store being read. */
    public WeightStore store() {
        return store;
    }

    /** True if the checkpoint has this tensor. */
    public boolean has(String name) {
        return store.contains(name);
    }

    /**
     * An engine-owned copy in the compute dtype. Arrays made from a direct buffer alias the Java buffer, which dies with
     * its NDArray; views of the weights (transposes) must not depend on it, so the data is always copied.
     */
    private NDArray owned(NDArray raw) {
        NDArray out = raw.getDataType() == dtype ? raw.duplicate() : raw.toType(dtype, true);
        raw.close();
        return out;
    }

    /**
     * Loads one tensor, converted to the compute dtype.
     *
     * @param expectedShape the shape the config implies
     * @throws ModelLoadException if the tensor is missing, has another shape, or is not a float type
     */
    public NDArray load(String name, long... expectedShape) {
        TensorInfo info = store.info(name);
        if (!Arrays.equals(info.shape(), expectedShape)) {
            throw new ModelLoadException("Cannot load model '" + store.dir() + "': tensor " + name + " has shape "
                    + info.shapeString() + " but the config implies " + Arrays.toString(expectedShape)
                    + "; config.json and the weights do not belong together");
        }
        Shape shape = new Shape(expectedShape);
        switch (info.dtype()) {
            case F32, F16 -> {
                DataType stored = info.dtype() == SafetensorsDtype.F32 ? DataType.FLOAT32 : DataType.FLOAT16;
                if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
                    ByteBuffer src = store.data(name);
                    ByteBuffer copy = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.nativeOrder());
                    copy.put(src.duplicate().order(ByteOrder.LITTLE_ENDIAN));
                    copy.flip();
                    return owned(manager.create(copy, shape, stored));
                }
                // Little-endian host: the file's bytes are the engine's layout. They are read straight into an
                // engine-owned array (its memory seen as a direct buffer), so loading copies each tensor once and holds
                // no staging buffer, mapping or Java copy.
                NDArray raw = manager.create(shape, stored);
                if (info.byteLength() > 0) {
                    store.read(name, raw.toByteBuffer(true));
                }
                if (stored == dtype) {
                    return raw;
                }
                NDArray out = raw.toType(dtype, true);
                raw.close();
                return out;
            }
            case BF16 -> {
                ByteBuffer src = store.data(name);
                int n = Math.toIntExact(info.elementCount());
                ByteBuffer wide = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
                for (int i = 0; i < n; i++) {
                    wide.putInt(i * 4, (src.getShort(i * 2) & 0xFFFF) << 16);
                }
                return owned(manager.create(wide, shape, DataType.FLOAT32));
            }
            default -> throw new ModelLoadException("Cannot load model '" + store.dir() + "': tensor " + name + " is "
                    + info.dtype() + "; weights must be F32, F16 or BF16");
        }
    }
}
