package dev.steeropt.core.runtime;

import ai.djl.Device;
import java.util.Objects;

/**
 * How to load a model: device (CPU by default; CUDA when the engine sees a GPU) and compute dtype (float32 default).
 *
 * @param device device for weights and activations
 * @param dtype  compute precision
 */
public record LoadOptions(Device device, ComputeDtype dtype) {
    public LoadOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(dtype, "dtype");
    }

    /** CPU, float32. */
    public static LoadOptions defaults() {
        return new LoadOptions(Device.cpu(), ComputeDtype.FLOAT32);
    }

    /** A copy with another dtype. */
    public LoadOptions withDtype(ComputeDtype d) {
        return new LoadOptions(device, d);
    }

    /** A copy with another device. */
    public LoadOptions withDevice(Device d) {
        return new LoadOptions(d, dtype);
    }

    /**
     * Parses {@code cpu}, {@code cuda} or {@code cuda:N}.
     *
     * @throws IllegalArgumentException for other values
     */
    public static Device parseDevice(String s) {
        String k = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (k.equals("cpu")) {
            return Device.cpu();
        }
        if (k.equals("cuda") || k.equals("gpu")) {
            return Device.gpu();
        }
        if (k.startsWith("cuda:")) {
            try {
                return Device.gpu(Integer.parseInt(k.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device \"" + s + "\" has a non-numeric index; use cuda:0", e);
            }
        }
        throw new IllegalArgumentException("device \"" + s + "\" is not one of cpu, cuda, cuda:N");
    }
}
