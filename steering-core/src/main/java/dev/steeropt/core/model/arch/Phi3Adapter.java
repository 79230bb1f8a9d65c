package dev.steeropt.core.model.arch;

import ai.djl.ndarray.NDArray;
import dev.steeropt.core.model.config.ArchDetails;
import dev.steeropt.core.model.config.ConfigJson;
import dev.steeropt.core.model.config.ModelConfig;
import dev.steeropt.core.model.weights.WeightLoader;
import java.util.List;

/**
 * Phi-3 ({@code phi3}): Llama's block without biases, with fused {@code qkv_proj} (all q rows, then k, then v: the
 * runtime's own fused order, so it is used as stored) and {@code gate_up_proj} (gate rows, then up), partial rotary
 * over {@code int(head_dim · partial_rotary_factor)} dims, and, when {@code sliding_window} is a number (2047 in
 * Phi-3-mini-4k), that window on every layer. {@code longrope} / {@code su} scaling (the 128k variants) is rejected
 * by the RoPE parser.
 */
final class Phi3Adapter extends LlamaFamily {
    @Override
    public List<String> modelTypes() {
        return List.of("phi3");
    }

    @Override
    boolean qkvBias(ConfigJson json) {
        return false;
    }

    @Override
    boolean outBias() {
        return false;
    }

    @Override
    ArchDetails details(ConfigJson json, int numLayers, int headDim, int maxPositions) {
        double factor = json.ropeParameter("partial_rotary_factor", json.optDouble("partial_rotary_factor", 1.0));
        if (!(factor > 0 && factor <= 1)) {
            throw json.error("partial_rotary_factor is " + factor + ", expected a fraction in (0, 1]");
        }
        return windowOnEveryLayer(json, numLayers).withRotaryDim((int) (headDim * factor));
    }

    @Override
    boolean fusedProjections() {
        return true;
    }

    @Override
    NDArray qkvWeight(ModelConfig c, WeightLoader w, String p) {
        return w.load(p + "self_attn.qkv_proj.weight", (long) (c.numHeads() + 2 * c.numKvHeads()) * c.headDim(), c.hiddenSize());
    }

    @Override
    NDArray gateUpWeight(ModelConfig c, WeightLoader w, String p) {
        return w.load(p + "mlp.gate_up_proj.weight", 2L * c.intermediateSize(), c.hiddenSize());
    }
}
