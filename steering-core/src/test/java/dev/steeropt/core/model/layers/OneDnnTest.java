package dev.steeropt.core.model.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.testing.Assert;
import dev.steeropt.core.testing.Fixture;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The oneDNN products against PyTorch's matmul in float64: shapes, bias, strided and 3-d inputs, the freed dense
 * weight of a packed layer, and where the kernels do not apply.
 */
class OneDnnTest {
    private static OneDnn kernels() {
        return OneDnn.forArrays(Device.cpu(), DataType.FLOAT32)
                .orElseThrow(() -> new AssertionError("the bundled PyTorch build should offer the oneDNN kernels"));
    }

    @Test
    void packedLinearMatchesFloat64Product() {
        OneDnn k = kernels();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            // sizes off the kernels' block sizes; 1 and 33 rows (a decode step and an odd batch)
            for (long rows : new long[] {1, 33}) {
                NDArray w = m.randomNormal(new Shape(37, 70)); // [in, out] as Linear stores it
                NDArray b = m.randomNormal(new Shape(70));
                NDArray x = m.randomNormal(new Shape(rows, 3, 37));
                NDArray expected = x.toType(DataType.FLOAT64, false).matMul(w.toType(DataType.FLOAT64, false))
                        .add(b.toType(DataType.FLOAT64, false));
                Linear dense = new Linear(w.duplicate(), b);
                Linear packed = new Linear(w.duplicate(), b);
                packed.packForInference(k);
                NDArray got = packed.apply(x);
                assertEquals(new Shape(rows, 3, 70), got.getShape());
                Assert.close(toFloats(expected), got.toFloatArray(), 1e-4, "packed product, " + rows + " rows");
                Assert.close(dense.apply(x).toFloatArray(), got.toFloatArray(), 1e-4, "packed against dense, " + rows);
                // a strided (transposed) input gives the same rows
                NDArray xt = x.transpose(1, 0, 2);
                Assert.close(packed.apply(xt.duplicate()).toFloatArray(), packed.apply(xt).toFloatArray(), 0,
                        "strided input");
            }
        }
    }

    @Test
    void packingFreesTheDenseWeightAndKeepsTheResultInTheInputsManager() {
        OneDnn k = kernels();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray w = m.randomNormal(new Shape(8, 5));
            Linear l = new Linear(w, null);
            assertFalse(l.packed());
            l.packForInference(k);
            assertTrue(l.packed());
            assertTrue(w.isReleased(), "the dense weight is freed once packed");
            IllegalStateException e = assertThrows(IllegalStateException.class, l::weight);
            assertTrue(e.getMessage().contains("packed for inference"), e.getMessage());
            assertEquals(1, l.parameters().size());
            assertEquals(8, l.inFeatures());
            assertEquals(5, l.outFeatures());
            try (NDManager step = m.newSubManager()) {
                NDArray x = step.ones(new Shape(2, 8));
                NDArray y = l.apply(x);
                assertEquals(step, y.getManager(), "results join the input's scope, like every other op");
            }
        }
    }

    @Test
    void notOfferedForOtherDtypesOrWhenTurnedOff() {
        assertTrue(OneDnn.forArrays(Device.cpu(), DataType.FLOAT16).isEmpty());
        assertTrue(withKernelsOff(() -> OneDnn.forArrays(Device.cpu(), DataType.FLOAT32)).isEmpty());
    }

    /** Every architecture, fused tensors split (or reordered) before packing: packed products = dense matmul. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"tiny-llama-fp32", "tiny-qwen3-fp32", "tiny-gemma2-fp32", "tiny-gemma3-fp32", "tiny-phi3-fp32", "tiny-olmo2-fp32", "tiny-mistral-sw-fp32", "tiny-gptneox-fp32"})
    void loadedModelGivesTheSameLogitsWithAndWithoutTheKernels(String name) {
        float[] withKernels = lastLogits(name, true);
        float[] matmul = withKernelsOff(() -> lastLogits(name, false));
        Assert.close(matmul, withKernels, 1e-4, name + " logits, oneDNN against matmul");
    }

    /** {@code body} run with {@code -Dsteeropt.onednn=false}, the property restored afterwards. */
    private static <T> T withKernelsOff(java.util.function.Supplier<T> body) {
        String old = System.getProperty("steeropt.onednn");
        System.setProperty("steeropt.onednn", "false");
        try {
            return body.get();
        } finally {
            if (old == null) {
                System.clearProperty("steeropt.onednn");
            } else {
                System.setProperty("steeropt.onednn", old);
            }
        }
    }

    private static float[] lastLogits(String name, boolean packed) {
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir(name))) {
            for (var block : m.transformer().blocks()) {
                for (Linear l : block.linears()) {
                    assertEquals(packed, l.packed(), name + ": every projection packed iff the kernels are on");
                }
            }
            int[] ids = new java.util.SplittableRandom(3).ints(24, 1, 500).toArray(); // longer than every sliding window
            var batch = dev.steeropt.core.runtime.PromptBatch.single(ids);
            return m.forward(batch, List.of(), Transformer.Logits.LAST, dev.steeropt.core.hooks.HookSet.empty()).logits()
                    .clone();
        }
    }

    private static float[] toFloats(NDArray a) {
        return a.toType(DataType.FLOAT32, false).toFloatArray();
    }
}
