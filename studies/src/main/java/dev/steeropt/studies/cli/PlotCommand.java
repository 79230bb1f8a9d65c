package dev.steeropt.studies.cli;

import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.optimizer.importance.ImportanceMethod;
import dev.steeropt.studies.importance.ObjectiveImportance;
import dev.steeropt.studies.plots.ChartFile;
import dev.steeropt.studies.plots.PlotKind;
import dev.steeropt.studies.plots.StudyCharts;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jfree.chart.JFreeChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code steeropt plot}: one of a study's plots as a PNG or SVG file, without a browser. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Draw a study's plot into a PNG or SVG file: history (objective per trial, best so far),"
                + " intermediate (reported values per step), importance, slice (objective against one parameter),"
                + " contour (mean objective over two parameters) or parallel (parallel coordinates).")
public final class PlotCommand implements Callable<Integer> {
    @Mixin
    VerbosityMixin verbosity;
    @Mixin
    StorageOptions storage;
    @Mixin
    StudyOption study;
    @Option(names = "--kind", required = true, paramLabel = "KIND",
            description = "history, intermediate, importance, slice, contour or parallel.")
    PlotKind kind;
    @Option(names = "--params", split = ",", paramLabel = "P",
            description = "slice: the parameter (default: the first); contour: two parameters (default: the first"
                    + " two); parallel: the axes (default: all).")
    List<String> params;
    @Option(names = "--objective", defaultValue = "0", paramLabel = "K",
            description = "Which objective of a multi-objective study, from 0 (default: ${DEFAULT-VALUE}).")
    int objective;
    @Option(names = "--evaluator", defaultValue = "ped-anova", converter = ImportanceCommand.MethodConverter.class,
            paramLabel = "E", description = "importance: ped-anova (default) or fanova.")
    ImportanceMethod evaluator;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file, .png or .svg.")
    Path out;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (ChartFile.Format.of(out) == null) {
            throw UserFacingException.usage("--out " + out + " is neither .png nor .svg", null,
                    "Name the file F.png or F.svg.");
        }
        try (JdbcTrialStore store = storage.openForReading()) {
            long id = study.id(store);
            List<StudyDirection> dirs = store.getStudyDirections(id);
            if (objective < 0 || objective >= dirs.size()) {
                throw UserFacingException.usage("--objective " + objective + " is out of range",
                        "study '" + study.name + "' has " + dirs.size() + " objective(s)",
                        "Pass 0" + (dirs.size() > 1 ? " to " + (dirs.size() - 1) : "") + ".");
            }
            List<FrozenTrial> trials = store.getAllTrials(id, null);
            StudyCharts charts = new StudyCharts(study.name, trials, dirs, objective,
                    dirs.size() == 1 ? "Objective value" : "Objective " + objective);
            JFreeChart chart = draw(charts);
            ChartFile.write(chart, out);
            spec.commandLine().getOut().println("Wrote " + out + " (" + kind.wireName() + ", "
                    + charts.complete().size() + " COMPLETE of " + trials.size() + " trials)");
        }
        return 0;
    }

    private JFreeChart draw(StudyCharts charts) {
        List<String> given = params == null ? List.of() : params;
        for (String p : given) {
            if (!charts.params().contains(p)) {
                throw UserFacingException.usage("Study '" + study.name + "' has no parameter '" + p + "'",
                        "its parameters are " + charts.params(), "Pass some of them to --params.");
            }
        }
        switch (kind) {
            case HISTORY:
                return charts.history();
            case INTERMEDIATE:
                return charts.intermediate();
            case IMPORTANCE:
                return charts.importance(new ObjectiveImportance(evaluator, 0));
            case SLICE:
                requireParams(charts, given, 1, "slice draws one parameter");
                return charts.slice(given.isEmpty() ? charts.params().get(0) : given.get(0));
            case CONTOUR:
                requireParams(charts, given, 2, "a contour draws two parameters");
                return given.isEmpty() ? charts.contour(charts.params().get(0), charts.params().get(1))
                        : charts.contour(given.get(0), given.get(1));
            case PARALLEL:
                if (charts.params().isEmpty()) {
                    throw noParams(charts);
                }
                return charts.parallel(given);
            default:
                throw new IllegalStateException("no plot for " + kind);
        }
    }

    private void requireParams(StudyCharts charts, List<String> given, int n, String why) {
        if (!given.isEmpty() && given.size() != n) {
            throw UserFacingException.usage("--params names " + given.size() + " parameter(s)", why,
                    "Pass exactly " + n + " with --params, or none for the default.");
        }
        if (given.isEmpty() && charts.params().size() < n) {
            throw noParams(charts);
        }
        if (n == 2 && given.size() == 2 && given.get(0).equals(given.get(1))) {
            throw UserFacingException.usage("--params names " + given.get(0) + " twice", why,
                    "Pass two different parameters.");
        }
    }

    private UserFacingException noParams(StudyCharts charts) {
        return UserFacingException.usage("Study '" + study.name + "' has too few parameters for a " + kind.wireName()
                + " plot", "its parameters are " + charts.params(), "Pick --kind history or importance.");
    }
}
