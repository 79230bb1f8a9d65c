package dev.steeropt.eval.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.steeropt.eval.EvaluationInputException;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Datasets;
import dev.steeropt.eval.datasets.JsonlReader;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.stats.WilsonInterval;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores a JSON Lines file of {@code {"id": ..., "completion": ...}} against a dataset's gold answers; the engine
 * behind {@code steeropt score}.
 *
 * <pre>{@code
 * ScoreResult r = PredictionScorer.score(DatasetName.GSM8K, dataDir, Path.of("preds.jsonl"));
 * System.out.println(PredictionScorer.toJson(r));
 * }</pre>
 *
 * <p>Rules: every line must be a JSON object with a non-blank string {@code id} and a string {@code completion}
 * (may be empty); a duplicate id is an error naming both lines. Predictions whose id is not in the split are listed in
 * {@code unknown_ids} and ignored; split items without a prediction are listed in {@code missing_ids} and not counted.
 * Accuracies are over the {@code n} matched items. If no prediction matches, scoring fails (most likely the wrong
 * dataset or split).
 */
public final class PredictionScorer {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PredictionScorer() {
    }

    /** Scores against the dataset's default evaluation split ({@code test}) loaded from {@code dataDir}. */
    public static ScoreResult score(DatasetName dataset, Path dataDir, Path predictions) {
        return score(dataset, Datasets.defaultEvaluationSplit(dataset), dataDir, predictions);
    }

    /** Scores against {@code split} of {@code dataset} loaded from {@code dataDir}, with the dataset's grader. */
    public static ScoreResult score(DatasetName dataset, String split, Path dataDir, Path predictions) {
        List<Problem> gold = Datasets.load(dataset, split, dataDir);
        return score(dataset.cliName(), split, gold, Graders.forDataset(dataset), readPredictions(predictions));
    }

    /**
     * Scores predictions against an in-memory gold list (e.g. generated synthetic problems).
     *
     * @throws EvaluationInputException if the gold list has duplicate ids or no prediction matches it
     */
    public static ScoreResult score(String datasetLabel, String split, List<Problem> gold, Grader grader,
                                    List<Prediction> predictions) {
        Datasets.requireUniqueIds(gold, datasetLabel + " " + split);
        Map<String, Prediction> byId = new LinkedHashMap<>();
        for (Prediction p : predictions) {
            Prediction previous = byId.putIfAbsent(p.id(), p);
            if (previous != null) {
                throw new EvaluationInputException("Duplicate prediction id '" + p.id() + "' on lines "
                        + previous.line() + " and " + p.line(),
                        "each item must be predicted once so the score is unambiguous",
                        "Keep one completion per id.");
            }
        }
        Set<String> goldIds = new HashSet<>();
        List<ScoreResult.ItemScore> items = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        int strict = 0;
        int flexible = 0;
        for (Problem problem : gold) {
            goldIds.add(problem.id());
            Prediction p = byId.get(problem.id());
            if (p == null) {
                missing.add(problem.id());
                continue;
            }
            Grade g = grader.grade(problem, p.completion());
            strict += g.strict() ? 1 : 0;
            flexible += g.flexible() ? 1 : 0;
            items.add(new ScoreResult.ItemScore(problem.id(), g.strict(), g.flexible(),
                    new ScoreResult.Extracted(g.strictExtracted(), g.flexibleExtracted())));
        }
        List<String> unknown = new ArrayList<>();
        for (String id : byId.keySet()) {
            if (!goldIds.contains(id)) {
                unknown.add(id);
            }
        }
        if (items.isEmpty()) {
            throw new EvaluationInputException("No prediction id matches " + datasetLabel + " split " + split,
                    predictions.size() + " predictions, " + gold.size() + " items; first unknown ids: "
                            + unknown.subList(0, Math.min(3, unknown.size())),
                    "Check --dataset and the ids (e.g. gsm8k-test-0, test/precalculus/807.json).");
        }
        int n = items.size();
        return new ScoreResult(datasetLabel, split, n, (double) strict / n, (double) flexible / n,
                WilsonInterval.of95(strict, n), WilsonInterval.of95(flexible, n), items, missing, unknown);
    }

    /**
     * Reads a predictions file strictly.
     *
     * @throws EvaluationInputException for a missing file or a line without a string {@code id} and
     *                                  {@code completion}
     */
    public static List<Prediction> readPredictions(Path file) {
        List<JsonlReader.Line> lines = JsonlReader.read(file,
                "Pass the JSON Lines file of {\"id\": ..., \"completion\": ...} written by the generation run.");
        List<Prediction> out = new ArrayList<>(lines.size());
        for (JsonlReader.Line line : lines) {
            String id = JsonlReader.requireText(file, line, "id");
            JsonNode completion = line.node().get("completion");
            if (completion == null || !completion.isTextual()) {
                throw new EvaluationInputException(file.toAbsolutePath() + " line " + (line.index() + 1)
                        + ": field 'completion' must be a string",
                        completion == null ? "it is missing" : "got " + completion,
                        "Write the generated text as a JSON string (\"\" if the model produced nothing).");
            }
            out.add(new Prediction(id, completion.asText(), line.index() + 1));
        }
        return out;
    }

    /** The result as indented JSON (snake_case fields). */
    public static String toJson(ScoreResult result) {
        try {
            return MAPPER.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialise score result", e);
        }
    }
}
