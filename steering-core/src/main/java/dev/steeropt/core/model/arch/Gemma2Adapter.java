package dev.steeropt.core.model.arch;

import dev.steeropt.core.model.config.ArchDetails;
import dev.steeropt.core.model.config.ConfigJson;
import java.util.List;

/**
 * Gemma 2 ({@code gemma2}): {@link GemmaFamily}'s block with attention scores scaled by
 * {@code query_pre_attn_scalar^-1/2}, attention logit soft-capping before the mask, final logit soft-capping, and a
 * sliding window on the layers {@code layer_types} marks (absent, as in published configs: the even layers).
 */
final class Gemma2Adapter extends GemmaFamily {
    @Override
    public List<String> modelTypes() {
        return List.of("gemma2");
    }

    @Override
    ArchDetails details(ConfigJson json, int numLayers, int headDim, int maxPositions) {
        return new ArchDetails(windows(json, numLayers, i -> i % 2 == 0), 0, null, queryScale(json),
                json.optDouble("attn_logit_softcapping", 0), json.optDouble("final_logit_softcapping", 0), false);
    }
}
