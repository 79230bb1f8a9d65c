package dev.steeropt.studies.pipeline.multi;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.steeropt.studies.artifacts.Artifacts;
import dev.steeropt.studies.artifacts.CsvTable;
import dev.steeropt.studies.plots.ChartFile;
import dev.steeropt.studies.plots.Charts;
import dev.steeropt.studies.plots.Series;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jfree.chart.JFreeChart;

/**
 * The front's artifacts: {@value #JSON}, {@value #CSV} (every COMPLETE validation point, flagged on the front,
 * baseline, chosen, tested) and the plot {@value #PNG}.
 */
public final class ParetoArtifacts {
    /** The front as JSON. */
    public static final String JSON = "pareto_front.json";
    /** Every COMPLETE validation point as CSV. */
    public static final String CSV = "pareto_front.csv";
    /** The Pareto plot: accuracy against mean tokens, front, baseline and chosen point marked. */
    public static final String PNG = "pareto_front.png";

    private ParetoArtifacts() {}

    /**
     * {@value #JSON}.
     *
     * @param objectives  name and direction of each objective
     * @param selection   the pre-registered rule
     * @param baseline    the unsteered trial #0
     * @param chosenTrial the trial the rule chose
     * @param testedTrials the chosen trial, then the {@code --test-also} ones
     * @param front       the validation front by tokens ascending
     * @param dominated   the COMPLETE points off the front, by trial number
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record FrontFile(List<MultiObjectiveReport.Objective> objectives, String selection, FrontPoint baseline,
            int chosenTrial, List<Integer> testedTrials, List<FrontPoint> front, List<FrontPoint> dominated) {}

    /** Writes the three files into {@code art}; returns their paths (JSON, CSV, PNG). */
    public static List<Path> write(Artifacts art, FrontEvaluation e) {
        MultiObjectiveReport r = e.report();
        Set<Integer> onFront = e.validation().front().stream().map(FrontPoint::trial).collect(Collectors.toSet());
        List<Integer> tested = r.tested().stream().map(t -> t.validation().trial()).toList();
        List<FrontPoint> dominated = e.validation().all().stream().filter(p -> !onFront.contains(p.trial())).toList();
        Path json = art.writeJson(JSON, new FrontFile(r.objectives(), r.selection(), r.baseline(), r.chosenTrial(),
                tested, r.front(), dominated));
        TreeSet<String> params = new TreeSet<>();
        e.validation().all().forEach(p -> params.addAll(p.params().keySet()));
        List<String> header = new ArrayList<>(List.of("trial", "accuracy", "tokens", "on_front", "baseline", "chosen",
                "tested_rank"));
        params.forEach(p -> header.add("params_" + p));
        List<List<String>> rows = new ArrayList<>();
        for (FrontPoint p : e.validation().all()) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(p.trial()), Double.toString(p.accuracy()),
                    Double.toString(p.tokens()), Boolean.toString(onFront.contains(p.trial())),
                    Boolean.toString(p.trial() == r.baseline().trial()), Boolean.toString(p.trial() == r.chosenTrial()),
                    tested.contains(p.trial()) ? Integer.toString(tested.indexOf(p.trial())) : ""));
            params.forEach(k -> row.add(p.params().get(k) == null ? "" : p.params().get(k).toString()));
            rows.add(row);
        }
        Path csv = art.writeText(CSV, CsvTable.format(header, rows));
        Path png = art.dir().resolve(PNG);
        ChartFile.write(plot(e, dominated), png);
        return List.of(json, csv, png);
    }

    /** Validation accuracy (y) against mean generated tokens (x): chosen point, baseline, the front, dominated trials. */
    static JFreeChart plot(FrontEvaluation e, List<FrontPoint> dominated) {
        MultiObjectiveReport r = e.report();
        FrontPoint chosen = e.chosenPoint();
        List<Series> series = new ArrayList<>();
        // JFreeChart draws the first series last, on top: the chosen point and the baseline must stay visible
        series.add(series("chosen (trial #" + chosen.trial() + ", --select " + r.selection() + ")", List.of(chosen)));
        series.add(series("baseline (trial #" + r.baseline().trial() + ", unsteered)", List.of(r.baseline())));
        series.add(series("Pareto front", r.front()));
        series.add(series("dominated trials", dominated));
        return Charts.scatter("Validation Pareto front: accuracy vs mean generated tokens", "mean generated tokens"
                + " per item (minimise)", "validation accuracy (maximise)", series);
    }

    private static Series series(String name, List<FrontPoint> points) {
        return new Series(name, points.stream().mapToDouble(FrontPoint::tokens).toArray(),
                points.stream().mapToDouble(FrontPoint::accuracy).toArray());
    }
}
