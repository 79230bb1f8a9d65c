package dev.steeropt.studies.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.model.io.JsonProblem;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.DistributionJson;
import dev.steeropt.optimizer.pruners.NopPruner;
import dev.steeropt.optimizer.samplers.Sampler;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.Trial;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt ask}: starts a trial of an existing study, samples the given search space with the optimizer's
 * {@link Study}, and prints {@code {"number": N, "params": {...}}} (params in search-space order). Finish it with
 * {@code steeropt tell}.
 */
@Command(name = "ask", mixinStandardHelpOptions = true,
        description = {"Start a trial and print its number and sampled params; finish it with 'tell'.",
            "Example: steeropt ask --study-name s --sampler TPESampler --sampler-kwargs '{\"seed\": 1}'"
                    + " --search-space '{\"x\": {\"name\": \"FloatDistribution\", \"attributes\":"
                    + " {\"low\": -4.0, \"high\": 4.0}}}'"})
public final class AskCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    VerbosityMixin verbosity;
    @Mixin
    StorageOptions storage;
    @Mixin
    StudyOption study;
    @Option(names = "--search-space", required = true, paramLabel = "JSON",
            description = "Parameter name -> distribution JSON (Optuna's distribution_json, or {\"type\": \"float\","
                    + " \"low\": ..., \"high\": ...}).")
    String searchSpace;
    @Option(names = "--sampler", paramLabel = "NAME", defaultValue = "TPESampler",
            description = "TPESampler or RandomSampler (default: ${DEFAULT-VALUE}).")
    AskSampler sampler;
    @Option(names = "--sampler-kwargs", paramLabel = "JSON", description = "Sampler options, e.g. {\"seed\": 1}"
            + " (TPESampler also takes n_startup_trials).")
    String samplerKwargs;
    @Option(names = {"-f", "--format"}, converter = OutputFormat.Converter.class, defaultValue = "json",
            description = "json, table or csv (default: ${DEFAULT-VALUE}).")
    OutputFormat format;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, Distribution> space = parseSearchSpace(searchSpace);
        Sampler s = parseSampler();
        try (JdbcTrialStore store = storage.openForReading()) {
            study.id(store); // an unknown study is reported with the names that exist
            Study st = Study.load(store, study.name, s, new NopPruner());
            Trial trial = st.ask(space);
            Map<String, Object> params = new LinkedHashMap<>();
            for (String name : space.keySet()) {
                params.put(name, trial.params().get(name));
            }
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("number", trial.number());
            record.put("params", params);
            format.print(spec.commandLine().getOut(), List.of(record), true);
        }
        return 0;
    }

    /** The distributions of {@code --search-space}; bad JSON or a bad distribution is a usage error (exit code 2). */
    static Map<String, Distribution> parseSearchSpace(String searchSpace) {
        JsonNode root = readJson(searchSpace, "--search-space");
        if (!root.isObject()) {
            throw UserFacingException.usage("--search-space must be a JSON object", "it maps parameter names to"
                    + " distributions", "Pass e.g. '{\"x\": {\"type\": \"float\", \"low\": -4, \"high\": 4}}'.");
        }
        Map<String, Distribution> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                out.put(e.getKey(), DistributionJson.fromNode(e.getValue()));
            } catch (IllegalArgumentException ex) {
                throw UserFacingException.usage("The distribution of '" + e.getKey() + "' is not valid",
                        ex.getMessage(), "Use Optuna's distribution_json, e.g. {\"name\": \"IntDistribution\","
                                + " \"attributes\": {\"low\": 0, \"high\": 23}}.");
            }
        }
        return out;
    }

    private Sampler parseSampler() {
        return sampler.build(samplerKwargs == null ? JSON.createObjectNode() : readJson(samplerKwargs, "--sampler-kwargs"));
    }

    private static JsonNode readJson(String text, String option) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw UserFacingException.usage(option + " is not valid JSON", JsonProblem.describe(e),
                    "Quote the JSON for your shell, e.g. '{\"seed\": 1}'.");
        }
    }
}
