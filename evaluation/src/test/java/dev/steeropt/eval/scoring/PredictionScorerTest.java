package dev.steeropt.eval.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.eval.EvaluationInputException;
import dev.steeropt.eval.SharedData;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Datasets;
import dev.steeropt.eval.datasets.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionScorerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path writePredictions(List<Problem> problems, Function<Problem, String> completion) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Problem p : problems) {
            ObjectNode line = MAPPER.createObjectNode();
            line.put("id", p.id());
            line.put("completion", completion.apply(p));
            sb.append(MAPPER.writeValueAsString(line)).append('\n');
        }
        Path file = tmp.resolve("predictions.jsonl");
        Files.writeString(file, sb, StandardCharsets.UTF_8);
        return file;
    }

    private static String misses(ScoreResult r, boolean strict) {
        return r.items().stream().filter(i -> strict ? !i.strict() : !i.flexible())
                .map(i -> i.id() + " -> " + i.extracted()).limit(40).collect(Collectors.joining("\n"));
    }

    @Test
    void goldSolutionsScorePerfectOnAllOfGsm8kTest() throws IOException {
        Path data = SharedData.dataDir();
        List<Problem> test = Datasets.load(DatasetName.GSM8K, "test", data);
        assertEquals(1319, test.size());
        ScoreResult r = PredictionScorer.score(DatasetName.GSM8K, data, writePredictions(test, Problem::goldSolution));
        assertEquals(1319, r.n());
        assertEquals(1.0, r.strictAccuracy(), () -> "strict misses:\n" + misses(r, true));
        assertEquals(1.0, r.flexibleAccuracy(), () -> "flexible misses:\n" + misses(r, false));
        assertTrue(r.complete());
    }

    @Test
    void goldSolutionsScorePerfectOnAllOfGsm8kTrain() throws IOException {
        Path data = SharedData.dataDir();
        List<Problem> train = Datasets.load(DatasetName.GSM8K, "train", data);
        ScoreResult r = PredictionScorer.score(DatasetName.GSM8K, "train", data,
                writePredictions(train, Problem::goldSolution));
        assertEquals(7473, r.n());
        assertEquals(1.0, r.strictAccuracy(), () -> "strict misses:\n" + misses(r, true));
        assertEquals(1.0, r.flexibleAccuracy(), () -> "flexible misses:\n" + misses(r, false));
    }

    @Test
    void goldSolutionsScorePerfectOnAllOfMath500() throws IOException {
        Path data = SharedData.dataDir();
        List<Problem> test = Datasets.load(DatasetName.MATH500, "test", data);
        assertEquals(500, test.size());
        ScoreResult r = PredictionScorer.score(DatasetName.MATH500, data,
                writePredictions(test, Problem::goldSolution));
        assertEquals(500, r.n());
        assertEquals(1.0, r.flexibleAccuracy(), () -> "flexible misses:\n" + misses(r, false));
        assertEquals(1.0, r.strictAccuracy(), () -> "strict misses:\n" + misses(r, true));
    }

    @Test
    void shiftedSolutionsScoreLowSoTheGraderDiscriminates() throws IOException {
        Path data = SharedData.dataDir();
        for (DatasetName d : List.of(DatasetName.GSM8K, DatasetName.MATH500)) {
            List<Problem> test = Datasets.load(d, "test", data);
            List<Problem> shifted = new ArrayList<>();
            for (int i = 0; i < test.size(); i++) {
                Problem next = test.get((i + 1) % test.size());
                shifted.add(Problem.of(test.get(i).id(), "q", next.goldSolution(), next.goldAnswer()));
            }
            List<String> completions = shifted.stream().map(Problem::goldSolution).collect(Collectors.toList());
            ScoreResult r = PredictionScorer.score(d, data, writePredictions(test,
                    p -> completions.get(test.indexOf(p))));
            assertTrue(r.flexibleAccuracy() < 0.05, d + " flexible accuracy of shifted solutions "
                    + r.flexibleAccuracy());
            assertTrue(r.strictAccuracy() < 0.05, d + " strict accuracy of shifted solutions " + r.strictAccuracy());
        }
    }

    @Test
    void reportsMissingAndUnknownIdsAndScoresOnlyMatchedItems() throws IOException {
        List<Problem> gold = List.of(Problem.of("a", "q", "#### 3", "3"), Problem.of("b", "q", "#### 4", "4"),
                Problem.of("c", "q", "#### 5", "5"));
        Files.writeString(tmp.resolve("p.jsonl"), "{\"id\":\"a\",\"completion\":\"so 3\"}\n"
                + "{\"id\":\"zz\",\"completion\":\"#### 4\"}\n"
                + "{\"id\":\"c\",\"completion\":\"#### 5 and then 6\"}\n");
        ScoreResult r = PredictionScorer.score("toy", "test", gold, Graders.gsm8k(),
                PredictionScorer.readPredictions(tmp.resolve("p.jsonl")));
        assertEquals(2, r.n());
        assertEquals(List.of("b"), r.missingIds());
        assertEquals(List.of("zz"), r.unknownIds());
        assertFalse(r.complete());
        assertEquals(0.5, r.strictAccuracy());   // a has no "####", c does
        assertEquals(0.5, r.flexibleAccuracy()); // a's last number is 3, c's last number is 6
        JsonNode json = MAPPER.readTree(PredictionScorer.toJson(r));
        assertEquals(2, json.get("n").asInt());
        assertEquals(0.5, json.get("strict_accuracy").asDouble());
        assertEquals("zz", json.get("unknown_ids").get(0).asText());
        assertEquals("a", json.get("items").get(0).get("id").asText());
        assertTrue(json.get("items").get(0).get("extracted").get("strict").isNull());
        assertEquals("3", json.get("items").get(0).get("extracted").get("flexible").asText());
    }

    @Test
    void duplicateIdIsAnErrorNamingBothLines() throws IOException {
        Path file = tmp.resolve("dup.jsonl");
        Files.writeString(file, "{\"id\":\"a\",\"completion\":\"1\"}\n{\"id\":\"b\",\"completion\":\"2\"}\n"
                + "{\"id\":\"a\",\"completion\":\"3\"}\n");
        List<Prediction> preds = PredictionScorer.readPredictions(file);
        EvaluationInputException e = assertThrows(EvaluationInputException.class, () -> PredictionScorer.score("toy",
                "test", List.of(Problem.of("a", "q", "#### 1", "1")), Graders.gsm8k(), preds));
        assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("lines 1 and 3"), e.getMessage());
    }

    @Test
    void malformedPredictionLinesFailWithLineNumber() throws IOException {
        Path file = tmp.resolve("bad.jsonl");
        Files.writeString(file, "{\"id\":\"a\",\"completion\":\"1\"}\n{\"id\":\"b\"}\n");
        EvaluationInputException e = assertThrows(EvaluationInputException.class,
                () -> PredictionScorer.readPredictions(file));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("completion"), e.getMessage());
        Files.writeString(file, "{\"id\":\"a\",\"completion\":\"1\"}\n{not json\n");
        e = assertThrows(EvaluationInputException.class, () -> PredictionScorer.readPredictions(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void noMatchingIdFailsInsteadOfReportingZeroAccuracy() {
        List<Prediction> preds = List.of(new Prediction("gsm8k-train-0", "#### 1", 1));
        assertThrows(EvaluationInputException.class, () -> PredictionScorer.score("toy", "test",
                List.of(Problem.of("gsm8k-test-0", "q", "#### 1", "1")), Graders.gsm8k(), preds));
    }
}
