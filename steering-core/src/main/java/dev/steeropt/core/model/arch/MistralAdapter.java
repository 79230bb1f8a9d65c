package dev.steeropt.core.model.arch;

import dev.steeropt.core.model.config.ArchDetails;
import dev.steeropt.core.model.config.ConfigJson;
import java.util.List;

/**
 * Mistral ({@code mistral}): exactly Llama, plus, when {@code sliding_window} is a number, a sliding window of that
 * many keys on every layer ({@code null}, as in Mistral 7B v0.2 and later, is plain Llama).
 */
final class MistralAdapter extends LlamaAdapter {
    @Override
    public List<String> modelTypes() {
        return List.of("mistral");
    }

    @Override
    ArchDetails details(ConfigJson json, int numLayers, int headDim, int maxPositions) {
        return windowOnEveryLayer(json, numLayers);
    }
}
