package dev.steeropt.studies.artifacts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.optimizer.trial.FrozenTrial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The files a study run leaves in its output directory: {@code config.json} (the resolved spec),
 * {@code best_configuration.json}, {@code final_results.json} (test evaluation with per-item outcomes of both arms),
 * {@code study_trials.csv}, {@code manifest.json}, {@value #VECTORS}, and with {@code --layers auto} {@code probes.json}. Each JSON
 * artifact is a record ({@code BestConfiguration}, {@code FinalResults}, {@link Manifest}, {@code ProbeReport}; the
 * spec as its JSON tree) serialised by the one mapper here; each file is written to a temporary name and moved into
 * place.
 */
public final class Artifacts {
    /** Resolved spec. */
    public static final String CONFIG = "config.json";
    /** Best trial's params and validation results. */
    public static final String BEST = "best_configuration.json";
    /** Test evaluation. */
    public static final String FINAL = "final_results.json";
    /** One row per trial. */
    public static final String TRIALS_CSV = "study_trials.csv";
    /** Provenance. */
    public static final String MANIFEST = "manifest.json";
    /** The study system attribute that names the output directory (absolute), for {@code serve}. */
    public static final String DIR_ATTR = "steeropt:artifacts_dir";
    /**
     * The steering vectors the run used, one per candidate layer, in the format of {@code analyze directions}'
     * {@code directions.safetensors} (tensors {@code layer.{i}}, {@code mean_residual_norm.{i}} metadata).
     */
    public static final String VECTORS = "steering_vectors.safetensors";
    /** Per-layer probe report of {@code --layers auto}. */
    public static final String PROBES = "probes.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    /** Artifacts in {@code dir} (created if missing). */
    public Artifacts(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw UserFacingException.usage("Cannot create the output directory " + dir, e.toString(),
                    "Pass a writable --output-dir.");
        }
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /**
     * The JSON form of an artifact record as plain Java values ({@code LinkedHashMap}, {@code List}, boxed numbers,
     * strings), with the same keys and order {@link #writeJson} writes: for a store attribute that holds the record.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(Object record) {
        return JSON.convertValue(record, LinkedHashMap.class);
    }

    /** Writes a JSON value (an artifact record, or a JsonNode) through the one mapper of the artifacts. */
    public Path writeJson(String name, Object value) {
        try {
            return write(name, JSON.writeValueAsString(value) + "\n");
        } catch (IOException e) {
            throw UserFacingException.runtime("Cannot write " + dir.resolve(name), e.toString(), null, e);
        }
    }

    /**
     * Writes {@code study_trials.csv}: number, state, the value (one objective) or {@code values_0} ...
     * {@code values_<k-1>} (k objectives, as Optuna's {@code trials_dataframe} names them), times, intermediate
     * values, each param, user attrs, and the fail reason.
     */
    public Path writeTrialsCsv(List<FrozenTrial> trials) {
        TreeSet<String> params = new TreeSet<>();
        TreeSet<String> attrs = new TreeSet<>();
        int objectives = 1;
        for (FrozenTrial t : trials) {
            params.addAll(t.params().keySet());
            attrs.addAll(t.userAttrs().keySet());
            objectives = Math.max(objectives, t.values() == null ? 0 : t.values().size());
        }
        List<String> header = new ArrayList<>(List.of("number", "state"));
        for (int k = 0; k < objectives; k++) {
            header.add(objectives == 1 ? "value" : "values_" + k);
        }
        header.addAll(List.of("datetime_start", "datetime_complete", "duration_seconds", "last_step",
                "intermediate_values"));
        params.forEach(p -> header.add("params_" + p));
        attrs.forEach(a -> header.add("user_attrs_" + a));
        header.add("fail_reason");
        List<List<String>> rows = new ArrayList<>();
        for (FrozenTrial t : trials) {
            List<String> row = new ArrayList<>();
            row.add(Integer.toString(t.number()));
            row.add(t.state().name());
            for (int k = 0; k < objectives; k++) {
                row.add(t.values() == null || t.values().size() <= k ? "" : Double.toString(t.values().get(k)));
            }
            row.add(t.datetimeStart() == null ? "" : t.datetimeStart().toString());
            row.add(t.datetimeComplete() == null ? "" : t.datetimeComplete().toString());
            row.add(t.datetimeStart() == null || t.datetimeComplete() == null ? ""
                    : Double.toString((t.datetimeComplete().toEpochMilli() - t.datetimeStart().toEpochMilli()) / 1e3));
            row.add(t.intermediateValues().isEmpty() ? "" : Integer.toString(t.intermediateValues().lastKey()));
            StringBuilder iv = new StringBuilder();
            t.intermediateValues().forEach((k, v) -> iv.append(iv.length() == 0 ? "" : ";").append(k).append(':')
                    .append(v));
            row.add(iv.toString());
            params.forEach(p -> row.add(str(t.params().get(p))));
            attrs.forEach(a -> row.add(str(t.userAttrs().get(a))));
            row.add(str(t.systemAttrs().get("fail_reason")));
            rows.add(row);
        }
        return write(TRIALS_CSV, CsvTable.format(header, rows));
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    /** Reads a JSON artifact back as a map (for resumed runs and tests). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> readJson(String name) throws IOException {
        return JSON.readValue(dir.resolve(name).toFile(), Map.class);
    }

    /** Writes a text artifact (e.g. a CSV table from {@link CsvTable#format}) atomically. */
    public Path writeText(String name, String text) {
        return write(name, text);
    }

    private Path write(String name, String text) {
        return AtomicFile.writeString(dir.resolve(name), text);
    }
}
