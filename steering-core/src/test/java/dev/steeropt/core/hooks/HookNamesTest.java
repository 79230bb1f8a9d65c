package dev.steeropt.core.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.testing.Fixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exact hook-name list of each tiny model, in firing order (the TransformerLens snapshot), and proof that every
 * listed hook fires, in that order, during a forward pass.
 */
class HookNamesTest {
    static List<String> models() {
        return Fixture.ALL;
    }

    private static String pinned(String model) {
        return switch (model) {
            case "tiny-llama-fp32" -> """
            hook_embed
            blocks.0.hook_resid_pre
            blocks.0.attn.hook_z
            blocks.0.hook_attn_out
            blocks.0.hook_resid_mid
            blocks.0.hook_mlp_out
            blocks.0.hook_resid_post
            blocks.1.hook_resid_pre
            blocks.1.attn.hook_z
            blocks.1.hook_attn_out
            blocks.1.hook_resid_mid
            blocks.1.hook_mlp_out
            blocks.1.hook_resid_post
            blocks.2.hook_resid_pre
            blocks.2.attn.hook_z
            blocks.2.hook_attn_out
            blocks.2.hook_resid_mid
            blocks.2.hook_mlp_out
            blocks.2.hook_resid_post
            blocks.3.hook_resid_pre
            blocks.3.attn.hook_z
            blocks.3.hook_attn_out
            blocks.3.hook_resid_mid
            blocks.3.hook_mlp_out
            blocks.3.hook_resid_post
            ln_final.hook_normalized
            """;
            case "tiny-llama-bf16" -> """
            hook_embed
            blocks.0.hook_resid_pre
            blocks.0.attn.hook_z
            blocks.0.hook_attn_out
            blocks.0.hook_resid_mid
            blocks.0.hook_mlp_out
            blocks.0.hook_resid_post
            blocks.1.hook_resid_pre
            blocks.1.attn.hook_z
            blocks.1.hook_attn_out
            blocks.1.hook_resid_mid
            blocks.1.hook_mlp_out
            blocks.1.hook_resid_post
            blocks.2.hook_resid_pre
            blocks.2.attn.hook_z
            blocks.2.hook_attn_out
            blocks.2.hook_resid_mid
            blocks.2.hook_mlp_out
            blocks.2.hook_resid_post
            blocks.3.hook_resid_pre
            blocks.3.attn.hook_z
            blocks.3.hook_attn_out
            blocks.3.hook_resid_mid
            blocks.3.hook_mlp_out
            blocks.3.hook_resid_post
            ln_final.hook_normalized
            """;
            case "tiny-llama-sharded" -> """
            hook_embed
            blocks.0.hook_resid_pre
            blocks.0.attn.hook_z
            blocks.0.hook_attn_out
            blocks.0.hook_resid_mid
            blocks.0.hook_mlp_out
            blocks.0.hook_resid_post
            blocks.1.hook_resid_pre
            blocks.1.attn.hook_z
            blocks.1.hook_attn_out
            blocks.1.hook_resid_mid
            blocks.1.hook_mlp_out
            blocks.1.hook_resid_post
            blocks.2.hook_resid_pre
            blocks.2.attn.hook_z
            blocks.2.hook_attn_out
            blocks.2.hook_resid_mid
            blocks.2.hook_mlp_out
            blocks.2.hook_resid_post
            blocks.3.hook_resid_pre
            blocks.3.attn.hook_z
            blocks.3.hook_attn_out
            blocks.3.hook_resid_mid
            blocks.3.hook_mlp_out
            blocks.3.hook_resid_post
            ln_final.hook_normalized
            """;
            case "tiny-llama3-ropescaling" -> """
            hook_embed
            blocks.0.hook_resid_pre
            blocks.0.attn.hook_z
            blocks.0.hook_attn_out
            blocks.0.hook_resid_mid
            blocks.0.hook_mlp_out
            blocks.0.hook_resid_post
            blocks.1.hook_resid_pre
            blocks.1.attn.hook_z
            blocks.1.hook_attn_out
            blocks.1.hook_resid_mid
            blocks.1.hook_mlp_out
            blocks.1.hook_resid_post
            ln_final.hook_normalized
            """;
            case "tiny-qwen2-fp32" -> """
            hook_embed
            blocks.0.hook_resid_pre
            blocks.0.attn.hook_z
            blocks.0.hook_attn_out
            blocks.0.hook_resid_mid
            blocks.0.hook_mlp_out
            blocks.0.hook_resid_post
            blocks.1.hook_resid_pre
            blocks.1.attn.hook_z
            blocks.1.hook_attn_out
            blocks.1.hook_resid_mid
            blocks.1.hook_mlp_out
            blocks.1.hook_resid_post
            blocks.2.hook_resid_pre
            blocks.2.attn.hook_z
            blocks.2.hook_attn_out
            blocks.2.hook_resid_mid
            blocks.2.hook_mlp_out
            blocks.2.hook_resid_post
            ln_final.hook_normalized
            """;
            case "tiny-gpt2-fp32" -> """
            hook_embed
            hook_pos_embed
            blocks.0.hook_resid_pre
            blocks.0.attn.hook_z
            blocks.0.hook_attn_out
            blocks.0.hook_resid_mid
            blocks.0.hook_mlp_out
            blocks.0.hook_resid_post
            blocks.1.hook_resid_pre
            blocks.1.attn.hook_z
            blocks.1.hook_attn_out
            blocks.1.hook_resid_mid
            blocks.1.hook_mlp_out
            blocks.1.hook_resid_post
            blocks.2.hook_resid_pre
            blocks.2.attn.hook_z
            blocks.2.hook_attn_out
            blocks.2.hook_resid_mid
            blocks.2.hook_mlp_out
            blocks.2.hook_resid_post
            ln_final.hook_normalized
            """;
            case "tiny-qwen3-fp32" -> """
            hook_embed
            blocks.0.hook_resid_pre
            blocks.0.attn.hook_z
            blocks.0.hook_attn_out
            blocks.0.hook_resid_mid
            blocks.0.hook_mlp_out
            blocks.0.hook_resid_post
            blocks.1.hook_resid_pre
            blocks.1.attn.hook_z
            blocks.1.hook_attn_out
            blocks.1.hook_resid_mid
            blocks.1.hook_mlp_out
            blocks.1.hook_resid_post
            blocks.2.hook_resid_pre
            blocks.2.attn.hook_z
            blocks.2.hook_attn_out
            blocks.2.hook_resid_mid
            blocks.2.hook_mlp_out
            blocks.2.hook_resid_post
            ln_final.hook_normalized
            """;
            case "tiny-gemma2-fp32" -> """
            hook_embed
            blocks.0.hook_resid_pre
            blocks.0.attn.hook_z
            blocks.0.hook_attn_out
            blocks.0.hook_resid_mid
            blocks.0.hook_mlp_out
            blocks.0.hook_resid_post
            blocks.1.hook_resid_pre
            blocks.1.attn.hook_z
            blocks.1.hook_attn_out
            blocks.1.hook_resid_mid
            blocks.1.hook_mlp_out
            blocks.1.hook_resid_post
            blocks.2.hook_resid_pre
            blocks.2.attn.hook_z
            blocks.2.hook_attn_out
            blocks.2.hook_resid_mid
            blocks.2.hook_mlp_out
            blocks.2.hook_resid_post
            ln_final.hook_normalized
            """;
            case "tiny-gemma3-fp32" -> """
            hook_embed
            blocks.0.hook_resid_pre
            blocks.0.attn.hook_z
            blocks.0.hook_attn_out
            blocks.0.hook_resid_mid
            blocks.0.hook_mlp_out
            blocks.0.hook_resid_post
            blocks.1.hook_resid_pre
            blocks.1.attn.hook_z
            blocks.1.hook_attn_out
            blocks.1.hook_resid_mid
            blocks.1.hook_mlp_out
            blocks.1.hook_resid_post
            blocks.2.hook_resid_pre
            blocks.2.attn.hook_z
            blocks.2.hook_attn_out
            blocks.2.hook_resid_mid
            blocks.2.hook_mlp_out
            blocks.2.hook_resid_post
            ln_final.hook_normalized
            """;
            case "tiny-olmo2-fp32" -> """
            hook_embed
            blocks.0.hook_resid_pre
            blocks.0.attn.hook_z
            blocks.0.hook_attn_out
            blocks.0.hook_resid_mid
            blocks.0.hook_mlp_out
            blocks.0.hook_resid_post
            blocks.1.hook_resid_pre
            blocks.1.attn.hook_z
            blocks.1.hook_attn_out
            blocks.1.hook_resid_mid
            blocks.1.hook_mlp_out
            blocks.1.hook_resid_post
            blocks.2.hook_resid_pre
            blocks.2.attn.hook_z
            blocks.2.hook_attn_out
            blocks.2.hook_resid_mid
            blocks.2.hook_mlp_out
            blocks.2.hook_resid_post
            ln_final.hook_normalized
            """;
            case "tiny-mistral-sw-fp32" -> """
            hook_embed
            blocks.0.hook_resid_pre
            blocks.0.attn.hook_z
            blocks.0.hook_attn_out
            blocks.0.hook_resid_mid
            blocks.0.hook_mlp_out
            blocks.0.hook_resid_post
            blocks.1.hook_resid_pre
            blocks.1.attn.hook_z
            blocks.1.hook_attn_out
            blocks.1.hook_resid_mid
            blocks.1.hook_mlp_out
            blocks.1.hook_resid_post
            blocks.2.hook_resid_pre
            blocks.2.attn.hook_z
            blocks.2.hook_attn_out
            blocks.2.hook_resid_mid
            blocks.2.hook_mlp_out
            blocks.2.hook_resid_post
            ln_final.hook_normalized
            """;
            case "tiny-phi3-fp32" -> """
            hook_embed
            blocks.0.hook_resid_pre
            blocks.0.attn.hook_z
            blocks.0.hook_attn_out
            blocks.0.hook_resid_mid
            blocks.0.hook_mlp_out
            blocks.0.hook_resid_post
            blocks.1.hook_resid_pre
            blocks.1.attn.hook_z
            blocks.1.hook_attn_out
            blocks.1.hook_resid_mid
            blocks.1.hook_mlp_out
            blocks.1.hook_resid_post
            ln_final.hook_normalized
            """;
            // parallel residual: attention and MLP read the same input, so there is no hook_resid_mid
            case "tiny-gptneox-fp32" -> """
            hook_embed
            blocks.0.hook_resid_pre
            blocks.0.attn.hook_z
            blocks.0.hook_attn_out
            blocks.0.hook_mlp_out
            blocks.0.hook_resid_post
            blocks.1.hook_resid_pre
            blocks.1.attn.hook_z
            blocks.1.hook_attn_out
            blocks.1.hook_mlp_out
            blocks.1.hook_resid_post
            blocks.2.hook_resid_pre
            blocks.2.attn.hook_z
            blocks.2.hook_attn_out
            blocks.2.hook_mlp_out
            blocks.2.hook_resid_post
            ln_final.hook_normalized
            """;
            default -> throw new IllegalArgumentException(model);
        };
    }

    @ParameterizedTest
    @MethodSource("models")
    void hookNamesArePinnedAndFireInOrder(String model) {
        List<String> expected = pinned(model).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir(model))) {
            assertEquals(expected, m.hookPoints().stream().map(HookPoint::toString).toList(), model);
            List<String> fired = new ArrayList<>();
            HookSet all = HookSet.empty();
            for (HookPoint p : m.hookPoints()) {
                all = all.with(p, (x, ctx) -> {
                    assertEquals(3, x.getShape().dimension(), p + " must be [batch, pos, d_model]");
                    assertEquals(p.kind() == HookPoint.Kind.Z ? m.config().numHeads() * m.config().headDim()
                            : m.config().hiddenSize(), x.getShape().get(2), p + ": d_model, or n_heads·d_head at hook_z");
                    fired.add(ctx.point().toString());
                    return x;
                });
            }
            m.forward(PromptBatch.single(1, 2, 3, 4), List.of(), Transformer.Logits.ALL, all);
            assertEquals(expected, fired, model + ": every hook fires once, in order");
            assertTrue(expected.size() > 5);
        }
    }

    @org.junit.jupiter.api.Test
    void aHookAtTheMissingResidMidOfAParallelBlockIsAnError() {
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir("tiny-gptneox-fp32"))) {
            HookSet mid = HookSet.of(HookPoint.residMid(1), (x, ctx) -> x);
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> m.forward(PromptBatch.single(1, 2, 3), List.of(), Transformer.Logits.LAST, mid));
            assertTrue(e.getMessage().contains("parallel residual"), e.getMessage());
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> m.forward(PromptBatch.single(1, 2, 3), List.of(HookPoint.residMid(0)), Transformer.Logits.LAST,
                            HookSet.empty()), "capturing a hook point the model does not have is refused");
        }
    }
}
