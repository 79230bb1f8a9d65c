package dev.steeropt.core.model.layers;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Float32 matrix products through oneDNN on the CPU, for inference.
 *
 * <p>PyTorch's {@code matmul} on the CPU calls MKL's sgemm, which on AMD processors runs a generic code path, several
 * times slower on a decode step's shapes than oneDNN's AVX-512 kernels, in float32 (no reduced-precision mode; the
 * figures are in the steering-core README, "Matrix products"). DJL exposes no
 * oneDNN operator, so this class reaches the two that PyTorch registers for its own compiler,
 * {@code mkldnn::_reorder_linear_weight} (a weight in oneDNN's blocked layout) and {@code mkldnn::_linear_pointwise}
 * (dense input, packed weight, dense output), through a small TorchScript module written here (resource
 * {@code onednn-kernels.torchscript}) and loaded once per process.
 *
 * <p>Packed weights are opaque: they serve {@link #linear} and nothing else, and carry no gradient, so only models
 * loaded for inference use them ({@link Linear#packForInference}). Set the system property {@code steeropt.onednn} to
 * {@code false} to keep every product on {@code matmul} (for comparisons).
 */
public final class OneDnn {
    private static final Logger LOG = LoggerFactory.getLogger(OneDnn.class);
    private static final String SOURCE = "onednn-kernels.torchscript";
    /** Batch rows the packed layout is chosen for (it also serves the other row counts of the benchmark shapes). */
    static final long PACK_ROWS = 32;

    private static volatile Optional<OneDnn> instance;

    private final PtSymbolBlock module;

    private OneDnn(PtSymbolBlock module) {
        this.module = module;
    }

    /**
     * The kernels for arrays of this device and dtype, or empty where they do not apply (a GPU, a dtype other than
     * float32, another engine, {@code -Dsteeropt.onednn=false}) or PyTorch lacks the operators (logged once).
     */
    public static Optional<OneDnn> forArrays(Device device, DataType dtype) {
        if (!Device.Type.CPU.equals(device.getDeviceType()) || dtype != DataType.FLOAT32
                || !Boolean.parseBoolean(System.getProperty("steeropt.onednn", "true"))) {
            return Optional.empty();
        }
        Optional<OneDnn> k = instance;
        if (k == null) {
            synchronized (OneDnn.class) {
                k = instance;
                if (k == null) {
                    k = load();
                    instance = k;
                }
            }
        }
        return k;
    }

    private static Optional<OneDnn> load() {
        if (!"PyTorch".equals(Engine.getInstance().getEngineName())) {
            return Optional.empty();
        }
        Path archive = null;
        try {
            archive = Files.createTempFile("steeropt-onednn-", ".pt");
            writeArchive(archive);
            // the module lives as long as the process: its manager is never closed
            PtNDManager owner = (PtNDManager) NDManager.newBaseManager(Device.cpu());
            owner.setName("onednn-kernels");
            OneDnn k = new OneDnn(JniUtils.loadModule(owner, archive, false, new String[0], new String[0], false));
            k.selfCheck(owner);
            return Optional.of(k);
        } catch (IOException | RuntimeException e) {
            LOG.warn("oneDNN kernels unavailable, matrix products stay on PyTorch's matmul: {}", e.getMessage());
            return Optional.empty();
        } finally {
            if (archive != null) {
                try {
                    Files.deleteIfExists(archive);
                } catch (IOException ignored) {
                    // a leftover temporary file of a few hundred bytes
                }
            }
        }
    }

    /** One small product against matmul, so a PyTorch build whose operators behave otherwise is never used. */
    private void selfCheck(NDManager owner) {
        try (NDManager scope = owner.newSubManager()) {
            NDArray x = scope.arange(0f, 12f).reshape(3, 4).div(7f);
            NDArray w = scope.arange(0f, 20f).reshape(5, 4).sub(9f).div(5f); // [out, in]
            NDArray expected = x.matMul(w.transpose());
            NDArray got = linear(x, pack(w), null);
            if (!got.getShape().equals(expected.getShape()) || got.sub(expected).abs().max().getFloat() > 1e-5f) {
                throw new IllegalStateException("oneDNN self-check gave " + got.getShape() + " differing from matmul");
            }
        }
    }

    /**
     * The weight in oneDNN's packed layout, in {@code weight}'s manager.
     *
     * @param weight {@code [out, in]} float32 (any strides)
     */
    public NDArray pack(NDArray weight) {
        return call(weight.getManager(), "pack", IValue.from((PtNDArray) weight), IValue.from(PACK_ROWS));
    }

    /**
     * {@code x · Wᵀ + b} over {@code [..., in]}, in {@code x}'s manager.
     *
     * @param packed a weight from {@link #pack}
     * @param bias   {@code [out]} or null
     */
    public NDArray linear(NDArray x, NDArray packed, NDArray bias) {
        if (bias == null) {
            return call(x.getManager(), "linear", IValue.from((PtNDArray) x), IValue.from((PtNDArray) packed));
        }
        return call(x.getManager(), "linear_bias", IValue.from((PtNDArray) x), IValue.from((PtNDArray) packed),
                IValue.from((PtNDArray) bias));
    }

    private NDArray call(NDManager manager, String method, IValue... args) {
        try (IValue result = IValueUtils.runMethod(module, method, args)) {
            return result.toTensor((PtNDManager) manager);
        } finally {
            for (IValue a : args) {
                a.close();
            }
        }
    }

    /** Writes the TorchScript archive: the module's source, its pickled state (training = false), version 3. */
    private static void writeArchive(Path file) throws IOException {
        byte[] source;
        try (InputStream in = OneDnn.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IOException("resource " + SOURCE + " is missing from the classpath");
            }
            source = in.readAllBytes();
        }
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            stored(zip, "kernels/data.pkl", statePickle());
            stored(zip, "kernels/code/__torch__.py", source);
            stored(zip, "kernels/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // protocol 2, empty tuple
            stored(zip, "kernels/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Pickle (protocol 2) of a {@code __torch__.Kernels} object whose state is {@code {"training": False}}. */
    private static byte[] statePickle() {
        byte[] cls = "c__torch__\nKernels\n".getBytes(StandardCharsets.US_ASCII);
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(0x80); // PROTO
        b.write(2);
        b.writeBytes(cls); // GLOBAL module\nname\n
        b.write(')'); // EMPTY_TUPLE (constructor arguments)
        b.write(0x81); // NEWOBJ
        b.write('}'); // EMPTY_DICT (state)
        b.write('('); // MARK
        b.write('X'); // BINUNICODE, 4-byte little-endian length
        b.write(key.length);
        b.write(0);
        b.write(0);
        b.write(0);
        b.writeBytes(key);
        b.write(0x89); // NEWFALSE
        b.write('u'); // SETITEMS
        b.write('b'); // BUILD
        b.write('.'); // STOP
        return b.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
