package dev.steeropt.optimizer.samplers.tpe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;
import java.util.HashMap;
import java.util.Map;

/**
 * The relative params a trial was given, kept in its system attrs {@code tpe:relative_params:<k>} as chunks of one
 * JSON object. With the constant liar, other workers read them so that a RUNNING trial counts as "above" with all of
 * its relative params, including those it has not suggested yet.
 */
final class RelativeParamsAttr {
    private static final String PREFIX = "tpe:relative_params:";
    private static final int CHUNK = 2045;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RelativeParamsAttr() {}

    /** Stores {@code params} (internal values by name) in {@code trial}'s system attrs. */
    static void write(Study study, FrozenTrial trial, Map<String, Double> params) {
        String json;
        try {
            json = JSON.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise relative params " + params, e);
        }
        for (int i = 0, k = 0; i < json.length(); i += CHUNK, k++) {
            study.store().setTrialSystemAttr(trial.trialId(), PREFIX + k,
                    json.substring(i, Math.min(json.length(), i + CHUNK)));
        }
    }

    /** The relative params stored in {@code t}, or an empty map if there are none or they do not parse. */
    static Map<String, Double> read(FrozenTrial t) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; t.systemAttrs().get(PREFIX + k) instanceof String s; k++) {
            sb.append(s);
        }
        if (sb.length() == 0) {
            return Map.of();
        }
        try {
            Map<String, Double> out = new HashMap<>();
            JSON.readTree(sb.toString()).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
            return out;
        } catch (JsonProcessingException e) {
            return Map.of(); // another writer's half-written chunks: ignore, as Optuna would fail to parse them too
        }
    }
}
