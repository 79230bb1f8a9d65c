package dev.steeropt.studies.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.DistributionJson;
import dev.steeropt.optimizer.storage.StudySummary;
import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.manager.StudyManager;
import dev.steeropt.studies.plots.StudyCharts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The read models of the API, built from the trial store: the study list, one study, pages of trials and the
 * columns the dashboard draws. Every read goes through {@link TrialStore#getAllTrials}, which the JDBC store answers
 * from its cache of finished trials (only unfinished and new trials are re-read), so a page of a large study costs a
 * filter, a sort and a slice in memory.
 */
public final class StudyReads {
    /** Optuna's study system attribute with the objectives' names. */
    static final String METRIC_NAMES_ATTR = "study:metric_names";
    /** The study system attribute {@code optimize} records its output directory in. */
    public static final String ARTIFACTS_DIR_ATTR = dev.steeropt.studies.artifacts.Artifacts.DIR_ATTR;
    /** The study system attribute that holds the study's note. */
    static final String NOTE_ATTR = "steeropt:note";

    private final TrialStore store;

    public StudyReads(TrialStore store) {
        this.store = store;
    }

    /** Every study, in id order. */
    public StudySummaries summaries() {
        List<StudySummaryView> out = new ArrayList<>();
        for (StudySummary s : store.getAllStudies()) {
            out.add(summary(s.studyId(), s.studyName(), s.directions(), store.getAllTrials(s.studyId(), null)));
        }
        return new StudySummaries(out);
    }

    /** One study; 404 when the id is unknown. */
    public StudyDetail detail(long studyId) {
        List<StudyDirection> dirs = directions(studyId);
        List<FrozenTrial> trials = store.getAllTrials(studyId, null);
        Map<String, Object> sys = store.getStudySystemAttrs(studyId);
        Map<String, JsonNode> space = new LinkedHashMap<>();
        for (FrozenTrial t : trials) {
            t.distributions().forEach((name, d) -> space.computeIfAbsent(name, k -> DistributionJson.toNode(d)));
        }
        List<Integer> best = dirs.size() == 1 ? bestTrial(trials, dirs.get(0)) : ParetoFront.numbers(trials, dirs);
        Object names = sys.get(METRIC_NAMES_ATTR);
        List<String> metricNames = names instanceof List<?> l ? l.stream().map(String::valueOf).toList() : null;
        Object note = sys.get(NOTE_ATTR);
        Object dir = sys.get(ARTIFACTS_DIR_ATTR);
        return new StudyDetail(summary(studyId, store.getStudyName(studyId), dirs, trials), metricNames,
                store.getStudyUserAttrs(studyId), best, space, note == null ? null : note.toString(),
                sys.get(StudyManager.TEST_ATTR) != null, dir == null ? null : dir.toString());
    }

    /** The study's directions; 404 when the id is unknown. */
    List<StudyDirection> directions(long studyId) {
        try {
            return store.getStudyDirections(studyId);
        } catch (dev.steeropt.optimizer.storage.StorageException e) {
            throw ApiException.notFound("no study with id " + studyId);
        }
    }

    /** One page of trials (see {@link TrialQuery}). */
    public TrialPage trials(long studyId, TrialQuery query) {
        List<StudyDirection> dirs = directions(studyId);
        List<FrozenTrial> all = store.getAllTrials(studyId, null);
        List<FrozenTrial> matching = query.apply(all, dirs);
        int from = Math.min(query.offset(), matching.size());
        int to = Math.min(matching.size(), from + query.limit());
        List<TrialView> page = new ArrayList<>(to - from);
        for (FrozenTrial t : matching.subList(from, to)) {
            page.add(TrialView.of(t));
        }
        return new TrialPage(studyId, matching.size(), query.offset(), query.limit(), nextAfter(all), page);
    }

    /** One trial by its number; 404 when absent. */
    public TrialView trial(long studyId, int number) {
        directions(studyId);
        List<FrozenTrial> all = store.getAllTrials(studyId, null);
        if (number < 0 || number >= all.size() || all.get(number).number() != number) {
            throw ApiException.notFound("study " + studyId + " has no trial number " + number + " (it has "
                    + all.size() + " trials)");
        }
        return TrialView.of(all.get(number));
    }

    /** The columns of the trials numbered above {@code after} (all trials for -1). */
    public PlotData plotData(long studyId, int after) {
        List<StudyDirection> dirs = directions(studyId);
        List<FrozenTrial> all = store.getAllTrials(studyId, null);
        List<FrozenTrial> trials = all.subList(Math.min(all.size(), Math.max(0, after + 1)), all.size());
        int n = trials.size();
        List<Integer> numbers = new ArrayList<>(n);
        List<String> states = new ArrayList<>(n);
        List<List<Double>> values = new ArrayList<>();
        for (int k = 0; k < dirs.size(); k++) {
            values.add(new ArrayList<>(n));
        }
        Map<String, Distribution> space = new LinkedHashMap<>();
        for (FrozenTrial t : trials) {
            t.distributions().forEach(space::putIfAbsent);
        }
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        space.keySet().forEach(p -> columns.put(p, new ArrayList<>(n)));
        for (FrozenTrial t : trials) {
            numbers.add(t.number());
            states.add(t.state().name());
            for (int k = 0; k < dirs.size(); k++) {
                values.get(k).add(t.values() != null && t.values().size() == dirs.size() ? t.values().get(k) : null);
            }
            columns.forEach((p, col) -> col.add(t.params().get(p)));
        }
        Map<String, PlotData.ParamColumn> params = new LinkedHashMap<>();
        space.forEach((p, d) -> params.put(p, new PlotData.ParamColumn(DistributionJson.toNode(d), StudyCharts.isLog(d),
                columns.get(p))));
        List<Integer> pareto = dirs.size() > 1 ? ParetoFront.numbers(all, dirs) : List.of();
        return new PlotData(studyId, names(dirs), numbers, states, values, params, pareto, nextAfter(all));
    }

    /** The reported values of the trials numbered above {@code after}. */
    public IntermediateData intermediate(long studyId, int after) {
        directions(studyId);
        List<FrozenTrial> all = store.getAllTrials(studyId, null);
        List<FrozenTrial> trials = all.subList(Math.min(all.size(), Math.max(0, after + 1)), all.size());
        List<Integer> numbers = new ArrayList<>(trials.size());
        List<String> states = new ArrayList<>(trials.size());
        List<List<Double>> intermediate = new ArrayList<>(trials.size());
        for (FrozenTrial t : trials) {
            numbers.add(t.number());
            states.add(t.state().name());
            List<Double> iv = new ArrayList<>(2 * t.intermediateValues().size());
            t.intermediateValues().forEach((s, v) -> {
                iv.add((double) s);
                iv.add(v);
            });
            intermediate.add(iv);
        }
        return new IntermediateData(studyId, numbers, states, intermediate, nextAfter(all));
    }

    /**
     * Reads every study's trials once and writes the JSON of its first page and its plot columns (discarded), so that
     * the first request pays neither for the database nor for loading the JSON code; returns the trial count.
     */
    public int warm() {
        int n = 0;
        TrialQuery firstPage = new TrialQuery(-1, Set.of(), null, null, TrialSort.NUMBER, null, false, 0,
                TrialQuery.DEFAULT_LIMIT);
        for (StudySummary s : store.getAllStudies()) {
            n += store.getAllTrials(s.studyId(), null).size();
            ServiceJson.bytes(trials(s.studyId(), firstPage));
            ServiceJson.bytes(plotData(s.studyId(), -1));
        }
        return n;
    }

    private static StudySummaryView summary(long id, String name, List<StudyDirection> dirs, List<FrozenTrial> trials) {
        Map<String, Integer> byState = new LinkedHashMap<>();
        for (TrialState s : TrialState.values()) {
            byState.put(s.name(), 0);
        }
        Instant first = null;
        Instant last = null;
        List<Double> best = new ArrayList<>();
        for (int k = 0; k < dirs.size(); k++) {
            best.add(null);
        }
        for (FrozenTrial t : trials) {
            byState.merge(t.state().name(), 1, Integer::sum);
            if (t.datetimeStart() != null) {
                first = first == null || t.datetimeStart().isBefore(first) ? t.datetimeStart() : first;
                last = last == null || t.datetimeStart().isAfter(last) ? t.datetimeStart() : last;
            }
            if (t.datetimeComplete() != null && (last == null || t.datetimeComplete().isAfter(last))) {
                last = t.datetimeComplete();
            }
            if (t.state() == TrialState.COMPLETE && t.values() != null && t.values().size() == dirs.size()) {
                for (int k = 0; k < dirs.size(); k++) {
                    double v = t.values().get(k);
                    Double b = best.get(k);
                    if (!Double.isNaN(v) && (b == null || better(dirs.get(k), v, b))) {
                        best.set(k, v);
                    }
                }
            }
        }
        return new StudySummaryView(id, name, names(dirs), best, trials.size(), byState, TrialView.time(first),
                TrialView.time(last));
    }

    private static List<Integer> bestTrial(List<FrozenTrial> trials, StudyDirection dir) {
        FrozenTrial best = null;
        for (FrozenTrial t : trials) {
            if (t.state() == TrialState.COMPLETE && t.values() != null && t.values().size() == 1
                    && !Double.isNaN(t.values().get(0))
                    && (best == null || better(dir, t.values().get(0), best.values().get(0)))) {
                best = t;
            }
        }
        return best == null ? List.of() : List.of(best.number());
    }

    static boolean better(StudyDirection dir, double v, double than) {
        return dir == StudyDirection.MAXIMIZE ? v > than : v < than;
    }

    private static List<String> names(List<StudyDirection> dirs) {
        return dirs.stream().map(d -> d.name().toLowerCase(Locale.ROOT)).toList();
    }

    /** The largest N with every trial numbered 0..N finished (trials come in number order). */
    static int nextAfter(List<FrozenTrial> all) {
        int n = -1;
        for (FrozenTrial t : all) {
            if (!t.state().isFinished()) {
                break;
            }
            n = t.number();
        }
        return n;
    }
}
