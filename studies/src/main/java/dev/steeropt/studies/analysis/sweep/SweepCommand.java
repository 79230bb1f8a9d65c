package dev.steeropt.studies.analysis.sweep;

import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.optimizer.samplers.GridSampler;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.Trial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.analysis.AnalysisInputs;
import dev.steeropt.studies.analysis.AnalysisOutput;
import dev.steeropt.studies.analysis.AnalysisRun;
import dev.steeropt.studies.analysis.directions.DirectionAnalysis;
import dev.steeropt.studies.analysis.directions.DirectionSet;
import dev.steeropt.studies.analysis.reads.ReadMode;
import dev.steeropt.studies.cli.VerbosityMixin;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.spec.PositionsJson;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt analyze sweep}: the inverse-direction test. A full grid of layers × strengths on the same items,
 * greedy and batched, each batch's prompt prefilled once for every cell; strength 0 is the baseline. The grid is a
 * study in the trial database (one trial per cell, {@link GridSampler}, params {@code layer} and {@code strength}, the
 * value the accuracy, the per-item grades, token counts and completions in the trial's user attributes), so
 * {@code trials}, {@code query} and the dashboard read it and a rerun of the same command resumes where it stopped.
 * Writes {@value #JSON}, {@value #DOSE_PLOT} and {@value #GAIN_PLOT}.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Inverse-direction test: accuracy over a layers x strengths grid of a direction (cross-model"
                + " A minus B by default), against strength 0 on the same items, with the four hypotheses' verdicts.")
public final class SweepCommand implements Callable<Integer> {
    /** The report. */
    public static final String JSON = "sweep.json";
    /** Accuracy against strength, one line per layer. */
    public static final String DOSE_PLOT = "sweep_dose_response.png";
    /** Gain over the baseline, layer × strength. */
    public static final String GAIN_PLOT = "sweep_gain.png";
    /** Study system attribute holding the sweep's identity. */
    public static final String SPEC_ATTR = "steeropt:sweep_spec";

    @Mixin
    VerbosityMixin verbosity;
    @Mixin
    AnalysisInputs inputs;
    @Mixin
    AnalysisInputs.Versus versus;
    @Mixin
    AnalysisInputs.Units units;
    @Option(names = "--directions", paramLabel = "DIR", description = "A directions run's --out (or its"
            + " directions.safetensors); without it, --versus B builds the cross-model direction A minus B on train.")
    Path directionsDir;
    @Option(names = "--strengths", paramLabel = "LIST", defaultValue = "-2,-1.5,-1,-0.5,0", split = ",",
            description = "Strengths (default: ${DEFAULT-VALUE}); 0 is the baseline and is always run.")
    List<Double> strengths;
    @Option(names = "--steer-positions", paramLabel = "P", description = "last_prompt_token, from_last_prompt_token,"
            + " generated or all (default: last_prompt_token for a demo model, else from_last_prompt_token).")
    SteerPositions positions;
    @Option(names = "--study-name", paramLabel = "S", description = "Study name (default: sweep-<hash of the sweep's"
            + " identity>, so the same command resumes its study).")
    String studyName;
    @Option(names = "--bench-reuse", description = "Instead of a study: time the grid cell by cell (every cell, strength"
            + " 0 of each layer included, prefilled afresh) beside the default path (strengths of a layer batched, prompts"
            + " prefilled once, one baseline), both on in-memory stores, and print both times and whether they agree.")
    boolean benchReuse;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if ((directionsDir == null) == (versus.reference() == null)) {
            throw UserFacingException.usage(directionsDir == null ? "analyze sweep needs a direction"
                    : "--directions and --versus both given", "the sweep steers with one direction set: a directions"
                    + " run's, or the cross-model one built from --versus B", "Pass either --directions DIR or"
                    + " --versus B.");
        }
        for (double s : strengths) {
            if (!Double.isFinite(s)) {
                throw UserFacingException.usage("Invalid --strengths value " + s, "strengths must be finite",
                        "Example: --strengths -2,-1,0.");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (AnalysisRun run = inputs.open("sweep", versus.reference(), out, err)) {
            List<Integer> layers = Arrays.stream(run.layers()).boxed().toList();
            DirectionSet dirs = directions(run, layers);
            SteerPositions pos = positions != null ? positions : run.model().demo() ? SteerPositions.LAST_PROMPT_TOKEN
                    : SteerPositions.FROM_LAST_PROMPT_TOKEN;
            TreeSet<Double> grid = new TreeSet<>(strengths);
            grid.add(0.0);
            List<Double> s = List.copyOf(grid);
            Map<String, Object> identity = identity(run, dirs, layers, s, pos);
            String name = studyName != null ? studyName : "sweep-" + sha(identity.toString()).substring(0, 12);
            if (benchReuse) {
                bench(run, dirs, pos, layers, s, identity, out, err);
                return 0;
            }
            long t0 = System.nanoTime();
            SweepReport report;
            try (JdbcTrialStore store = TrialStores.open(run.storage(), StoreOptions.DEFAULTS);
                    CellRunner runner = new CellRunner(run, dirs, pos, units.units(), true)) {
                report = runGrid(run, store, run.storage().display(), name, identity, layers, s, runner, dirs, err);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            AnalysisOutput o = run.output();
            o.json(JSON, report);
            SweepPlots.write(o, report);
            summary(o, report, seconds, run);
            return 0;
        }
    }

    private void bench(AnalysisRun run, DirectionSet dirs, SteerPositions pos, List<Integer> layers,
            List<Double> strengths, Map<String, Object> identity, PrintWriter out, PrintWriter err) {
        double[] seconds = new double[2];
        double[] cpu = new double[2];
        SweepReport[] reports = new SweepReport[2];
        String load0 = loadAverage();
        for (int mode = 0; mode < 2; mode++) {
            boolean reference = mode == 0;
            long t0 = System.nanoTime();
            long c0 = processCpuNanos();
            try (CellRunner runner = new CellRunner(run, dirs, pos, units.units(), !reference)) {
                reports[mode] = runGrid(run, new dev.steeropt.optimizer.storage.InMemoryTrialStore(), "in memory",
                        reference ? "bench-cell-by-cell" : "bench-default", identity, layers, strengths, runner, dirs, err);
            }
            seconds[mode] = (System.nanoTime() - t0) / 1e9;
            cpu[mode] = (processCpuNanos() - c0) / 1e9;
        }
        int same = 0;
        int cells = 0;
        for (int i = 0; i < reports[0].cells().size(); i++) {
            cells++;
            same += reports[0].cells().get(i).correct() == reports[1].cells().get(i).correct() ? 1 : 0;
        }
        out.printf(java.util.Locale.ROOT, "Sweep benchmark: %d layers x %d strengths, %d items, %d new tokens; load"
                + " average before %s, after %s%n", layers.size(), strengths.size(), run.data().evaluated().size(),
                run.maxNewTokens(), load0, loadAverage());
        out.printf(java.util.Locale.ROOT, "  cell by cell, no reuse: %.1f s wall, %.1f s process CPU%n", seconds[0],
                cpu[0]);
        out.printf(java.util.Locale.ROOT, "  default (batched strengths, prompts prefilled once, one baseline): %.1f s"
                + " wall, %.1f s process CPU (%.2fx less wall time, %.2fx less CPU)%n", seconds[1], cpu[1],
                seconds[0] / seconds[1], cpu[0] / cpu[1]);
        out.printf(java.util.Locale.ROOT, "  cells with the same number of correct items in both: %d of %d; baseline"
                + " %d vs %d correct%n", same, cells, reports[0].baseline().correct(), reports[1].baseline().correct());
        out.flush();
    }

    private static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip().split(" ")[0];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private DirectionSet directions(AnalysisRun run, List<Integer> layers) {
        if (directionsDir == null) {
            run.err().println("Building the cross-model direction " + run.model().name() + " minus "
                    + run.versus().name() + " on " + run.data().train().size() + " train prompts ...");
            return DirectionAnalysis.cross(run, layers, ReadMode.LAST_PROMPT_TOKEN);
        }
        DirectionSet d = DirectionSet.read(directionsDir);
        String fp = d.metadata().get(DirectionSet.MODEL_A);
        if (fp != null && !fp.equals(run.model().fingerprint())) {
            throw UserFacingException.usage("--directions " + directionsDir + " was built for another model",
                    "its model A fingerprint " + fp + " is not " + run.model().name() + "'s " + run.model().fingerprint(),
                    "Pass the --model the directions were built with, or build them for this model.");
        }
        for (int l : layers) {
            d.vector(l); // every swept layer must have a direction
        }
        return d;
    }

    private static Map<String, Object> identity(AnalysisRun run, DirectionSet dirs, List<Integer> layers,
            List<Double> strengths, SteerPositions pos) {
        Map<String, Object> id = new LinkedHashMap<>();
        id.put("model", run.model().fingerprint());
        id.put("directions", dirs.metadata().get(DirectionSet.KIND) + ":" + sha(dirs.directions().entrySet().stream()
                .map(e -> e.getKey() + "=" + Arrays.toString(e.getValue())).toList().toString()));
        id.put("dataset", run.data().dataset().cliName());
        id.put("split", run.data().split().wireName());
        id.put("items", run.data().evaluatedSplit().idsHash());
        id.put("prompt", run.variant().name() + "@" + run.variant().hash());
        id.put("max_new_tokens", run.maxNewTokens());
        id.put("layers", layers);
        id.put("strengths", strengths);
        id.put("positions", PositionsJson.name(pos));
        return id;
    }

    private SweepReport runGrid(AnalysisRun run, dev.steeropt.optimizer.storage.TrialStore store, String where, String name, Map<String, Object> identity,
            List<Integer> layers, List<Double> strengths, CellRunner runner, DirectionSet dirs, PrintWriter err) {
        Map<String, List<?>> grid = new LinkedHashMap<>();
        grid.put("layer", layers);
        grid.put("strength", strengths);
        Study study = Study.builder().store(store).name(name).direction(StudyDirection.MAXIMIZE)
                .sampler(new GridSampler(grid, 0)).loadIfExists(true).create();
        Object stored = study.systemAttrs().get(SPEC_ATTR);
        if (stored == null) {
            study.setSystemAttr(SPEC_ATTR, identity);
        } else if (!stored.toString().equals(identity.toString())) {
            throw UserFacingException.usage("Study '" + name + "' in " + where + " is another sweep",
                    "stored " + stored + ", asked " + identity, "Pass another --study-name, or the same options.");
        }
        Map<String, Cell> done = completed(study);
        int todo = layers.size() * strengths.size() - done.size();
        if (todo > 0) {
            err.println("Sweeping " + todo + " of " + layers.size() * strengths.size() + " cells (study " + name + ", "
                    + where + ") ...");
            Map<String, List<CellRunner.Completion>> pending = new LinkedHashMap<>();
            study.optimize(trial -> evaluate(trial, runner, layers, strengths, done, pending, err), todo);
        }
        Map<String, Cell> all = completed(study);
        CellResult base = all.values().stream().map(Cell::result).filter(c -> c.strength() == 0).findFirst()
                .orElseThrow();
        List<CellResult> results = new ArrayList<>();
        for (int l : layers) {
            for (double s : strengths) {
                Cell cell = all.get(key(l, s));
                if (cell == null) {
                    throw UserFacingException.runtime("The sweep left cell layer " + l + ", strength " + s + " undone",
                            "a trial failed", "Run the same command again to resume.", null);
                }
                if (s != 0) {
                    results.add(cell.result());
                }
            }
        }
        return SweepReport.of(name, run.model().name(), dirs.metadata().get(DirectionSet.KIND)
                + (run.versus() != null ? " (" + run.model().name() + " minus " + run.versus().name() + ")"
                : " (" + directionsDir + ")"), run.data().dataset().cliName(), run.data().split().wireName(), strengths,
                layers, base, results);
    }

    private static double evaluate(Trial trial, CellRunner runner, List<Integer> layers, List<Double> strengths,
            Map<String, Cell> done, Map<String, List<CellRunner.Completion>> pending, PrintWriter err) {
        int layer = (int) trial.suggestInt("layer", layers.get(0), layers.get(layers.size() - 1));
        double strength = trial.suggestFloat("strength", strengths.get(0), strengths.get(strengths.size() - 1));
        Cell shared = strength == 0 && !runner.isReference() ? done.values().stream().filter(c -> c.result().strength() == 0).findFirst()
                .orElse(null) : null;
        Cell cell;
        if (shared != null) {
            // every strength-0 cell is the same unsteered run: the first one's outcomes are shared
            cell = new Cell(CellRunner.result(layer, 0, shared.correct(), shared.tokens(), shared.texts()),
                    shared.correct(), shared.tokens(), shared.texts());
            trial.setUserAttr("shared_baseline", true);
        } else {
            List<Boolean> correct = new ArrayList<>();
            List<Integer> tokens = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            if (!pending.containsKey(key(layer, strength))) {
                if (runner.batchesCells() && strength != 0) {
                    // the layer's other undone strengths run in the same batch, then wait here for their trials
                    List<Double> undone = strengths.stream().filter(x -> x != 0 && !done.containsKey(key(layer, x)))
                            .toList();
                    runner.cells(layer, undone).forEach((x, cs) -> pending.put(key(layer, x), cs));
                } else {
                    pending.put(key(layer, strength), runner.cell(layer, strength));
                }
            }
            for (CellRunner.Completion c : pending.remove(key(layer, strength))) {
                correct.add(c.correct());
                tokens.add(c.tokens());
                texts.add(c.text());
            }
            cell = new Cell(CellRunner.result(layer, strength, correct, tokens, texts), correct, tokens, texts);
        }
        trial.setUserAttr("correct", cell.correct());
        trial.setUserAttr("tokens", cell.tokens());
        trial.setUserAttr("completions", cell.texts());
        done.put(key(layer, strength), cell);
        CellResult r = cell.result();
        err.printf(java.util.Locale.ROOT, "  layer %d, strength %+.2f: accuracy %.3f%n", layer, strength,
                (double) r.nCorrect() / r.n());
        err.flush();
        return (double) r.nCorrect() / r.n();
    }

    /** A cell's result with the per-item data its trial stores. */
    private record Cell(CellResult result, List<Boolean> correct, List<Integer> tokens, List<String> texts) {}

    /** The latest complete trial of each grid point. */
    @SuppressWarnings("unchecked")
    private static Map<String, Cell> completed(Study study) {
        Map<String, Cell> out = new LinkedHashMap<>();
        for (FrozenTrial t : study.trials(Set.of(TrialState.COMPLETE))) {
            int layer = ((Number) t.params().get("layer")).intValue();
            double strength = ((Number) t.params().get("strength")).doubleValue();
            List<Boolean> correct = (List<Boolean>) t.userAttrs().get("correct");
            List<Integer> tokens = ((List<Number>) t.userAttrs().get("tokens")).stream().map(Number::intValue).toList();
            List<String> texts = (List<String>) t.userAttrs().get("completions");
            out.put(key(layer, strength), new Cell(CellRunner.result(layer, strength, correct, tokens, texts), correct,
                    tokens, texts));
        }
        return out;
    }

    private static String key(int layer, double strength) {
        return layer + "@" + strength;
    }

    private static String sha(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static void summary(AnalysisOutput o, SweepReport r, double seconds, AnalysisRun run) {
        o.line("Sweep %s of %s with %s directions on %d %s %s items (%s), %.1f s", r.study(), r.model(),
                r.directions(), r.n(), r.dataset(), r.split(), run.data().source(), seconds);
        SweepReport.Cell b = r.baseline();
        o.line("baseline (strength 0): accuracy %.3f (%d/%d, Wilson [%.3f, %.3f]), mean tokens %.1f, hasty %.2f",
                b.accuracy(), b.correct(), b.n(), b.wilson_low(), b.wilson_high(), b.mean_tokens(), b.hasty_share());
        o.line("%5s %8s %8s %17s %8s %10s %7s %7s %6s", "layer", "strength", "accuracy", "Wilson 95% CI", "gain",
                "McNemar p", "tokens", "steps", "hasty");
        for (SweepReport.Cell c : r.cells()) {
            o.line("%5d %8.2f %8.3f    [%.3f, %.3f] %+8.3f %10.3g %7.1f %7.2f %6.2f", c.layer(), c.strength(),
                    c.accuracy(), c.wilson_low(), c.wilson_high(), c.gain(), c.mcnemar_p(), c.mean_tokens(),
                    c.mean_steps(), c.hasty_share());
        }
        for (SweepReport.Hypothesis h : r.hypotheses()) {
            o.line("%s (%s): %s. %s", h.id(), h.statement(), h.verdict(), h.statistics());
        }
        for (String w : r.warnings()) {
            o.line("Warning: %s", w);
        }
        o.done();
    }
}
