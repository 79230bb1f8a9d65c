package dev.steeropt.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.DataType;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.testing.Assert;
import dev.steeropt.core.testing.Fixture;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The float16 compute option runs every architecture: weights and activations in half precision (norms and softmax in
 * float32), prompt logits within 0.1 of the float64 reference (half precision has ~1e-3 relative rounding and the
 * fixtures' logits are O(1); the README gives the observed error), no NaN in padded rows.
 */
class Float16Test {
    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama-fp32", "tiny-qwen2-fp32", "tiny-gpt2-fp32", "tiny-llama-bf16"})
    void float16LogitsStayCloseToReference(String name) {
        try (Fixture f = Fixture.open(name);
                LoadedModel m = LoadedModel.load(f.dir(), LoadOptions.defaults().withDtype(ComputeDtype.FLOAT16))) {
            assertEquals(DataType.FLOAT16, m.dataType());
            ForwardResult r = m.forward(f.batch(), List.of(), Transformer.Logits.ALL, HookSet.empty());
            Assert.close(f.floats("logits"), r.logits(), 0.1, name + " float16 logits");
            int[][] tokens = m.generate(GenerationRequest.builder(f.batch()).maxNewTokens(4).build()).tokens();
            assertEquals(3, tokens.length);
        }
    }
}
