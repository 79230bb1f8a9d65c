package dev.steeropt.studies.cli;

import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.optimizer.distributions.DistributionJson;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.studies.artifacts.AtomicFile;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import dev.steeropt.optimizer.storage.OptunaJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt export --study-name S --format csv|json}: all trials for analysis elsewhere. CSV has one column
 * per objective value, parameter and user attribute ({@code values_0}, {@code params_alpha}, {@code user_attrs_k});
 * JSON keeps the nested records of {@code trials} plus system attributes and distributions.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export every trial of a study as CSV (flat columns) or JSON (nested records).")
public final class ExportCommand implements Callable<Integer> {
    @Mixin
    VerbosityMixin verbosity;
    @Mixin
    StorageOptions storage;
    @Mixin
    StudyOption study;
    @Option(names = {"-f", "--format"}, required = true, paramLabel = "csv|json", converter = OutputFormat.Converter.class,
            description = "csv or json.")
    OutputFormat format;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    Path output;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (format == OutputFormat.TABLE) {
            throw UserFacingException.usage("Export format 'table' is not supported", "export writes files for analysis"
                    + " elsewhere", "Use --format csv or --format json (or 'steeropt trials' for a table).");
        }
        boolean csv = format == OutputFormat.CSV;
        List<Map<String, Object>> rows = new ArrayList<>();
        try (JdbcTrialStore store = storage.openForReading()) {
            List<FrozenTrial> trials = store.getAllTrials(study.id(store), null);
            TreeSet<String> params = new TreeSet<>();
            TreeSet<String> attrs = new TreeSet<>();
            int objectives = store.getStudyDirections(study.id(store)).size();
            trials.forEach(t -> {
                params.addAll(t.params().keySet());
                attrs.addAll(t.userAttrs().keySet());
            });
            for (FrozenTrial t : trials) {
                Map<String, Object> r = TrialRecords.of(t);
                if (csv) {
                    Map<String, Object> flat = new LinkedHashMap<>();
                    flat.put("number", r.get("number"));
                    flat.put("state", r.get("state"));
                    for (int i = 0; i < objectives; i++) {
                        flat.put("values_" + i, t.values() == null || t.values().size() <= i ? null
                                : t.values().get(i));
                    }
                    flat.put("datetime_start", r.get("datetime_start"));
                    flat.put("datetime_complete", r.get("datetime_complete"));
                    flat.put("duration", r.get("duration"));
                    for (String p : params) {
                        flat.put("params_" + p, t.params().get(p));
                    }
                    for (String a : attrs) {
                        flat.put("user_attrs_" + a, t.userAttrs().get(a));
                    }
                    flat.put("intermediate_values", r.get("intermediate_values"));
                    rows.add(flat);
                } else {
                    r.put("system_attrs", t.systemAttrs());
                    Map<String, Object> dists = new TreeMap<>();
                    t.distributions().forEach((k, d) -> dists.put(k, OptunaJson.loads(DistributionJson.toJson(d))));
                    r.put("distributions", dists);
                    rows.add(r);
                }
            }
        }
        OutputFormat f = format;
        if (output == null) {
            f.print(spec.commandLine().getOut(), rows, false);
        } else {
            AtomicFile.write(output, w -> {
                PrintWriter pw = new PrintWriter(w);
                f.print(pw, rows, false);
                pw.flush();
                if (pw.checkError()) {
                    throw new IOException("writing the rows failed");
                }
            });
        }
        return 0;
    }
}
