package dev.steeropt.core.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The HF transformers figures of {@code shared/baselines/perf-baseline.json} for one model shape, read from
 * {@code models.<shape>.hf.summary}. The shape is found by parameter count, so a model written by
 * {@code init-model --like smollm2-135m} matches {@code smollm2-135m-shape}.
 *
 * @param shapeName the baseline's model key, e.g. {@code "smollm2-135m-shape"}
 * @param summary   the {@code hf.summary} object
 */
public record PerfBaseline(String shapeName, JsonNode summary) {

    /**
     * The baseline entry whose parameter count equals {@code parameters}, if any.
     *
     * @throws UncheckedIOException if the file cannot be read
     */
    public static Optional<PerfBaseline> forParameterCount(Path baselineJson, long parameters) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(baselineJson.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the perf baseline '" + baselineJson + "': " + e.getMessage()
                    + ". Pass --baseline with the path of shared/baselines/perf-baseline.json.", e);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("models").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode hf = e.getValue().path("hf");
            if (hf.path("raw").path("params").asLong(-1) == parameters) {
                return Optional.of(new PerfBaseline(e.getKey(), hf.path("summary")));
            }
        }
        return Optional.empty();
    }

    /**
     * The figures of one {@code hf-bench.py} run (its printed JSON object), under the keys of
     * {@code perf-baseline.json}'s {@code hf.summary}, so HF measured in the same run prints like the stored baseline.
     *
     * @param label what to call the source, e.g. {@code "HF measured in this run"}
     * @param run   hf-bench.py's output object
     */
    public static PerfBaseline fromHfBench(String label, JsonNode run) {
        com.fasterxml.jackson.databind.node.ObjectNode s = new ObjectMapper().createObjectNode();
        double genPeak = Double.NaN;
        for (Iterator<Map.Entry<String, JsonNode>> it = run.path("generate").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode g = e.getValue();
            String b = "gen_b" + e.getKey();
            s.put(b + "_tok_s", g.path("tok_s_plain").asDouble(Double.NaN));
            s.put(b + "_steered_tok_s", g.path("tok_s_steered").asDouble(Double.NaN));
            s.put(b + "_steered_over_plain", g.path("steered_over_plain_throughput").asDouble(Double.NaN));
            s.put(b + "_decode_only_tok_s", g.path("decode_only_tok_s").asDouble(Double.NaN));
            double rss = g.path("rss_peak_mb_after").asDouble(Double.NaN);
            genPeak = Double.isNaN(genPeak) ? rss : Math.max(genPeak, rss);
        }
        JsonNode prefill = run.path("prefill_hidden_states");
        if (prefill.has("keep1")) {
            s.put("prefill_hidden_states_keep1_tok_s", prefill.path("keep1").path("tok_s").asDouble(Double.NaN));
            s.put("prefill_hidden_states_full_tok_s", prefill.path("full").path("tok_s").asDouble(Double.NaN));
        }
        s.put("rss_peak_generate_mb", genPeak);
        s.put("rss_peak_total_mb", run.path("rss_peak_mb").asDouble(Double.NaN));
        return new PerfBaseline(label, s);
    }

    /** HF generate tok/s including prefill at this batch size. */
    public OptionalDouble generateTokS(int batch) {
        return value("gen_b" + batch + "_tok_s");
    }

    /** HF decode-only tok/s at this batch size. */
    public OptionalDouble decodeOnlyTokS(int batch) {
        return value("gen_b" + batch + "_decode_only_tok_s");
    }

    /** HF steered ÷ unsteered throughput at this batch size. */
    public OptionalDouble steeredOverPlain(int batch) {
        return value("gen_b" + batch + "_steered_over_plain");
    }

    /** HF prefill with hidden states, logits for the last position only. */
    public OptionalDouble prefillKeep1TokS() {
        return value("prefill_hidden_states_keep1_tok_s");
    }

    /** HF prefill with hidden states and all logits. */
    public OptionalDouble prefillFullTokS() {
        return value("prefill_hidden_states_full_tok_s");
    }

    /** HF peak RSS during generation (batches up to 32), MB. */
    public OptionalDouble peakRssGenerateMb() {
        return value("rss_peak_generate_mb");
    }

    /** HF peak RSS including the full-logits prefill, MB. */
    public OptionalDouble peakRssTotalMb() {
        return value("rss_peak_total_mb");
    }

    private OptionalDouble value(String key) {
        JsonNode v = summary.get(key);
        return v != null && v.isNumber() && !Double.isNaN(v.asDouble()) ? OptionalDouble.of(v.asDouble()) : OptionalDouble.empty();
    }
}
