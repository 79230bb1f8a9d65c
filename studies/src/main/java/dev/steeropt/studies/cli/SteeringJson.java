package dev.steeropt.studies.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.core.steering.SteeredResult;
import dev.steeropt.core.steering.ZeroCheckFault;
import dev.steeropt.core.steering.ZeroSteeringReport;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Steering reports as JSON (Jackson): {@code validate-zero --format json} ({@link #zeroReport}) and the DAC trace of
 * {@code generate --format json} ({@link #dacRow}); the names of the enums at this edge only. The check report:
 *
 * <pre>
 * {"model": …, "prompts": {"source": …, "token_lengths": […]}, "max_new_tokens": 16, "vector_layer": 2,
 *  "rows": [{"method": "caa", "positions": "all", "batch_size": 4, "prefix_reuse": false, "decoding": "greedy",
 *            "alpha": 0.0, "expect": "identical", "compare_to": "plain_run", "hook_calls": 17,
 *            "tokens_identical": true, "logits_identical": true, "max_abs_logit_diff": 0.0, "tolerance": 0.0,
 *            "passed": true, "verdict": "ok", "dac": {"d_t": [[…]], "alpha_t": [[…]], "nucleus_size": [[…]]}}, …],
 *  "passed": true}
 * </pre>
 *
 * {@code dac} only on DAC rows, one list per prompt, one entry per generated token; {@code max_abs_logit_diff} is null
 * when the token counts differ (no finite bound).
 */
final class SteeringJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SteeringJson() {}

    static String zeroReport(ZeroSteeringReport report, Path model, ValidateZeroCommand.Batch batch, int layer, String vector) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model.toString());
        ObjectNode prompts = root.putObject("prompts");
        prompts.put("source", batch.source());
        ArrayNode lengths = prompts.putArray("token_lengths");
        for (int len : batch.prompts().promptLengths()) {
            lengths.add(len);
        }
        root.put("max_new_tokens", report.maxNewTokens());
        root.put("vector_layer", layer);
        root.put("vector", vector);
        if (report.fault() != ZeroCheckFault.NONE) {
            root.put("injected_fault", report.fault().cliName());
        }
        ArrayNode rows = root.putArray("rows");
        for (ZeroSteeringReport.Row r : report.rows()) {
            ObjectNode o = rows.addObject();
            o.put("method", ZeroSteeringReport.methodName(r.method()));
            o.put("positions", ZeroSteeringReport.name(r.positions()));
            o.put("batch_size", r.batchSize());
            o.put("prefix_reuse", r.prefixReuse());
            o.put("decoding", ZeroSteeringReport.name(r.decoding()));
            o.put("alpha", r.alpha());
            o.put("expect", ZeroSteeringReport.name(r.expect()));
            o.put("compare_to", ZeroSteeringReport.name(r.reference()));
            o.put("hook_calls", r.hookCalls());
            o.put("tokens_identical", r.tokensIdentical());
            o.put("logits_identical", r.logitsIdentical());
            if (Double.isFinite(r.maxAbsLogitDiff())) {
                o.put("max_abs_logit_diff", r.maxAbsLogitDiff());
            } else {
                o.putNull("max_abs_logit_diff");
            }
            o.put("tolerance", r.tolerance());
            o.put("passed", r.passed());
            o.put("verdict", r.verdict());
            if (!r.dacTrace().isEmpty()) {
                o.set("dac", dac(r.dacTrace()));
            }
        }
        root.put("passed", report.passed());
        return root.toString();
    }

    /** {@code {"d_t": [[…]], "alpha_t": [[…]], "nucleus_size": [[…]]}}: one list per prompt, one entry per token. */
    static ObjectNode dac(List<List<SteeredResult.DacStep>> perRow) {
        ObjectNode dac = JSON.createObjectNode();
        for (String key : new String[] {"d_t", "alpha_t", "nucleus_size"}) {
            ArrayNode lists = dac.putArray(key);
            for (List<SteeredResult.DacStep> steps : perRow) {
                lists.add(dacRow(steps).get(key));
            }
        }
        return dac;
    }

    /** One row's trace as {@code {"d_t": […], "alpha_t": […], "nucleus_size": […]}} (for {@code generate}). */
    static ObjectNode dacRow(List<SteeredResult.DacStep> steps) {
        ObjectNode dac = JSON.createObjectNode();
        add(dac.putArray("d_t"), steps, SteeredResult.DacStep::divergence);
        add(dac.putArray("alpha_t"), steps, SteeredResult.DacStep::alpha);
        ArrayNode sizes = dac.putArray("nucleus_size");
        for (SteeredResult.DacStep st : steps) {
            sizes.add(st.nucleusSize());
        }
        return dac;
    }

    private static void add(ArrayNode into, List<SteeredResult.DacStep> steps, ToDoubleFunction<SteeredResult.DacStep> f) {
        for (SteeredResult.DacStep st : steps) {
            into.add(f.applyAsDouble(st));
        }
    }
}
