package dev.steeropt.studies.service;

import dev.steeropt.optimizer.importance.ImportanceMethod;
import dev.steeropt.optimizer.storage.DuplicatedStudyException;
import dev.steeropt.optimizer.storage.StorageException;
import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.optimizer.storage.UpdateFinishedTrialException;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.importance.ObjectiveImportance;
import dev.steeropt.studies.manager.StudyManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code /api} paths (optuna-dashboard's where the concept is the same). Reads go through {@link StudyReads};
 * writes ({@link Access#WRITE}: create and delete a study, a study's note, tell a trial) call the store directly after
 * the server checked the token. No path takes SQL or a storage URL: every query is one of the store's.
 */
final class StudyApi {
    private final TrialStore store;
    private final StudyReads reads;
    private final ObjectiveImportance importance;
    private final java.util.concurrent.ConcurrentHashMap<String, Importances> importanceCache =
            new java.util.concurrent.ConcurrentHashMap<>();

    StudyApi(TrialStore store, StudyReads reads, ObjectiveImportance importance) {
        this.store = store;
        this.reads = reads;
        this.importance = importance;
    }

    /** {@code POST /api/studies}. */
    record CreateStudy(String studyName, List<String> directions) {}

    /** {@code POST /api/trials/{trial_id}/tell}: state COMPLETE (with values), PRUNED or FAIL. */
    record Tell(String state, List<Double> values) {}

    /** {@code PUT /api/studies/{study_id}/note}. */
    record Note(String body) {}

    /** The answer of a write. */
    record Written(long studyId, Long trialId, String message) {}

    /** One parameter's importance. */
    record Importance(String name, double importance) {}

    /**
     * {@code GET .../param_importances}: per objective, the parameters by importance (empty with fewer than 2 COMPLETE
     * trials); {@code message} says why an objective could not be assessed, else null.
     */
    record Importances(String evaluator, int nCompleteTrials, List<List<Importance>> paramImportances,
            String message) {}

    /** {@code GET .../test_evaluation}. */
    record TestEvaluationView(Object testEvaluation, Object retests) {}

    void register(Router r) {
        r.add("GET", "/api/studies", Access.READ, "Every study with best value(s), trial counts by state and last"
                + " activity.", q -> Response.ok(reads.summaries()));
        r.add("POST", "/api/studies", Access.WRITE, "Create a study: {\"study_name\", \"directions\": [\"maximize\"]}.",
                this::createStudy);
        r.add("GET", "/api/studies/{study_id}", Access.READ, "One study: summary, search space, best trial(s),"
                + " note, whether a test evaluation and artifacts exist.", q -> Response.ok(reads.detail(id(q))));
        r.add("DELETE", "/api/studies/{study_id}", Access.WRITE, "Delete a study and its trials.", this::deleteStudy);
        r.add("GET", "/api/studies/{study_id}/trials", Access.READ, "A page of trials: ?offset, ?limit (default "
                + TrialQuery.DEFAULT_LIMIT + ", at most " + TrialQuery.MAX_LIMIT + "), ?after=N (only numbers above N),"
                + " ?state=COMPLETE,PRUNED, ?value_min, ?value_max, ?sort=number|state|value|duration|datetime_start|"
                + "param:NAME, ?order=asc|desc; next_after is the N to poll with.",
                q -> Response.ok(reads.trials(id(q), TrialQuery.parse(q))));
        r.add("GET", "/api/studies/{study_id}/trials/{number}", Access.READ, "One trial by its number.",
                q -> Response.ok(reads.trial(id(q), (int) Math.min(Integer.MAX_VALUE, q.pathLong("number")))));
        r.add("GET", "/api/studies/{study_id}/plot_data", Access.READ, "Every trial (or those above ?after=N) in"
                + " columns: numbers, states, values per objective, params with distributions, the Pareto front.", q -> Response.ok(reads.plotData(id(q), q.queryInt("after", -1, -1,
                        Integer.MAX_VALUE))));
        r.add("GET", "/api/studies/{study_id}/intermediate_values", Access.READ, "The values every trial (or those"
                + " above ?after=N) reported, per step.", q -> Response.ok(reads.intermediate(id(q), q.queryInt("after",
                        -1, -1, Integer.MAX_VALUE))));
        r.add("GET", "/api/studies/{study_id}/param_importances", Access.READ, "Parameter importances per objective,"
                + " normalised, over the COMPLETE trials: ?evaluator=ped-anova (default) or fanova.", this::importances);
        r.add("GET", "/api/studies/{study_id}/test_evaluation", Access.READ, "The study's recorded test evaluation"
                + " (both arms with Wilson CIs, McNemar, bootstrap CI of the gain) and any re-tests.",
                this::testEvaluation);
        r.add("GET", "/api/studies/{study_id}/artifacts", Access.READ, "The files of the study's output directory.",
                q -> Response.ok(StudyArtifacts.list(artifactsDir(id(q)))));
        r.add("GET", "/api/studies/{study_id}/artifacts/{name}", Access.READ, "One artifact's bytes (name as listed,"
                + " '/' encoded as %2F).", q -> StudyArtifacts.read(artifactsDir(id(q)), q.pathText("name")));
        r.add("PUT", "/api/studies/{study_id}/note", Access.WRITE, "Set the study's note: {\"body\": \"...\"}.",
                this::setNote);
        r.add("POST", "/api/trials/{trial_id}/tell", Access.WRITE, "Finish a RUNNING trial: {\"state\":"
                + " \"COMPLETE\", \"values\": [0.5]} or {\"state\": \"PRUNED\"|\"FAIL\"}.", this::tell);
        r.add("GET", "/api/openapi.json", Access.READ, "This listing.", q -> Response.ok(OpenApi.of(r.routes())));
    }

    private long id(Request q) {
        long id = q.pathLong("study_id");
        reads.directions(id); // 404 when absent
        return id;
    }

    private Response createStudy(Request q) {
        CreateStudy body = ServiceJson.read(q.body(), CreateStudy.class);
        if (body.studyName() == null || body.studyName().isBlank()) {
            throw ApiException.badRequest("study_name is required");
        }
        List<String> names = body.directions() == null || body.directions().isEmpty() ? List.of("minimize")
                : body.directions();
        List<StudyDirection> dirs = new ArrayList<>();
        for (String d : names) {
            try {
                dirs.add(StudyDirection.parse(String.valueOf(d)));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        try {
            long id = store.createStudy(body.studyName(), dirs);
            return Response.json(HttpStatus.CREATED, new Written(id, null, "created study '" + body.studyName() + "'"));
        } catch (DuplicatedStudyException e) {
            throw new ApiException(HttpStatus.CONFLICT, "a study named '" + body.studyName() + "' already exists");
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private Response deleteStudy(Request q) {
        long id = id(q);
        String name = store.getStudyName(id);
        store.deleteStudy(id);
        return Response.ok(new Written(id, null, "deleted study '" + name + "'"));
    }

    private Response setNote(Request q) {
        long id = id(q);
        Note note = ServiceJson.read(q.body(), Note.class);
        store.setStudySystemAttr(id, StudyReads.NOTE_ATTR, note.body() == null ? "" : note.body());
        return Response.ok(new Written(id, null, "note saved"));
    }

    private Response tell(Request q) {
        long trialId = q.pathLong("trial_id");
        Tell body = ServiceJson.read(q.body(), Tell.class);
        TrialState target;
        try {
            target = TrialState.valueOf(String.valueOf(body.state()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("state must be COMPLETE, PRUNED or FAIL, got '" + body.state() + "'");
        }
        if (!target.isFinished()) {
            throw ApiException.badRequest("state must be COMPLETE, PRUNED or FAIL, got " + target);
        }
        FrozenTrial trial;
        long studyId;
        try {
            trial = store.getTrial(trialId);
            studyId = store.getStudyIdOfTrial(trialId);
        } catch (StorageException e) {
            throw ApiException.notFound("no trial with id " + trialId);
        }
        int objectives = store.getStudyDirections(studyId).size();
        List<Double> values = null;
        if (target == TrialState.COMPLETE) {
            if (body.values() == null || body.values().size() != objectives || body.values().contains(null)) {
                throw ApiException.badRequest("a COMPLETE trial needs exactly " + objectives + " number(s) in"
                        + " values, got " + body.values());
            }
            values = body.values();
        } else if (body.values() != null) {
            throw ApiException.badRequest("only a COMPLETE trial carries values; drop values for " + target);
        } else if (target == TrialState.PRUNED && objectives == 1 && !trial.intermediateValues().isEmpty()) {
            double last = trial.intermediateValues().get(trial.intermediateValues().lastKey());
            values = Double.isNaN(last) ? null : List.of(last);
        }
        if (trial.state() != TrialState.RUNNING && !trial.state().isFinished()) {
            throw new ApiException(HttpStatus.CONFLICT, "trial " + trial.number() + " is " + trial.state()
                    + "; only a RUNNING trial can be told");
        }
        try {
            store.setTrialStateValues(trialId, target, values);
        } catch (UpdateFinishedTrialException e) {
            throw new ApiException(HttpStatus.CONFLICT, "trial " + trial.number() + " is already finished ("
                    + store.getTrial(trialId).state() + ") and cannot be told again");
        }
        return Response.ok(new Written(studyId, trialId, "trial " + trial.number() + " told " + target));
    }

    private Response importances(Request q) {
        long id = id(q);
        ObjectiveImportance evaluator = importance;
        String name = q.query("evaluator");
        if (name != null) {
            ImportanceMethod m = ImportanceMethod.fromCliName(name);
            if (m == null) {
                throw ApiException.badRequest("evaluator '" + name + "' is unknown; use ped-anova or fanova");
            }
            evaluator = new ObjectiveImportance(m, importance.seed());
        }
        List<StudyDirection> dirs = store.getStudyDirections(id);
        List<FrozenTrial> complete = store.getAllTrials(id, Set.of(TrialState.COMPLETE));
        // finished trials never change, so the answer holds while the count of COMPLETE trials does
        String key = id + ":" + evaluator.name();
        Importances cached = importanceCache.get(key);
        if (cached != null && cached.nCompleteTrials() == complete.size()) {
            return Response.ok(cached);
        }
        List<List<Importance>> out = new ArrayList<>();
        String message = null;
        for (int k = 0; k < dirs.size(); k++) {
            List<Importance> list = new ArrayList<>();
            try {
                evaluator.evaluate(complete, dirs, k).forEach((p, v) -> list.add(new Importance(p, v)));
            } catch (IllegalStateException e) {
                message = e.getMessage();
            }
            out.add(list);
        }
        Importances answer = new Importances(evaluator.name(), complete.size(), out, message);
        importanceCache.put(key, answer);
        return Response.ok(answer);
    }

    private Response testEvaluation(Request q) {
        long id = id(q);
        Map<String, Object> sys = store.getStudySystemAttrs(id);
        Object recorded = sys.get(StudyManager.TEST_ATTR);
        if (recorded == null) {
            throw ApiException.notFound("study " + id + " has no test evaluation yet ('optimize' records one after its"
                    + " search)");
        }
        return Response.ok(new TestEvaluationView(recorded, sys.get(StudyManager.RETEST_ATTR)));
    }

    private Path artifactsDir(long studyId) {
        Object dir = store.getStudySystemAttrs(studyId).get(StudyReads.ARTIFACTS_DIR_ATTR);
        return dir == null ? null : Path.of(dir.toString());
    }
}
