package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Path sharedData() {
        Path p = Path.of(System.getProperty("steeropt.shared", "../../shared")).resolve("data");
        assertTrue(Files.isDirectory(p.resolve("gsm8k")), "GSM8K data must be at " + p + " (../shared/data)");
        return p;
    }

    @Test
    void scoresCompletionsWithThousandsSeparatorsAndReportsMissingIds() throws Exception {
        List<String> lines = Files.readAllLines(sharedData().resolve("gsm8k/test.jsonl"));
        String gold0 = JSON.readTree(lines.get(0)).path("answer").asText().replaceAll("(?s).*#### ", "").strip();
        String gold1 = JSON.readTree(lines.get(1)).path("answer").asText().replaceAll("(?s).*#### ", "").strip();
        long g1 = Long.parseLong(gold1.replace(",", ""));
        String withCommas = String.format("%,d", g1 + 1000); // a wrong answer written with a separator
        Path preds = dir.resolve("p.jsonl");
        Files.write(preds, List.of(
                JSON.writeValueAsString(java.util.Map.of("id", "gsm8k-test-0", "completion", "so the answer is #### " + gold0)),
                JSON.writeValueAsString(java.util.Map.of("id", "gsm8k-test-1", "completion", "We get " + withCommas + ".")),
                JSON.writeValueAsString(java.util.Map.of("id", "not-an-item", "completion", "1"))));
        CliRun run = CliRun.of("score", "--dataset", "gsm8k", "--predictions", preds.toString(),
                "--data-dir", sharedData().toString(), "--offline", "--format", "json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = JSON.readTree(run.out());
        assertEquals(2, r.path("n").asInt());
        assertEquals(0.5, r.path("strict_accuracy").asDouble(), 1e-12);
        assertEquals(0.5, r.path("flexible_accuracy").asDouble(), 1e-12);
        assertEquals(1317, r.path("missing_ids").size());
        assertEquals("not-an-item", r.path("unknown_ids").get(0).asText());
        assertEquals(String.valueOf(g1 + 1000), r.path("items").get(1).path("extracted").path("flexible").asText()
                .replace(",", "").replaceAll("\\.$", ""), "raw extraction keeps separators and the trailing dot; normalised it is the number");
    }

    @Test
    void malformedPredictionLineIsAUsageErrorNamingTheLine() throws Exception {
        Path preds = dir.resolve("bad.jsonl");
        Files.writeString(preds, "{\"id\": \"gsm8k-test-0\", \"completion\": \"4\"}\n{not json\n");
        CliRun run = CliRun.of("score", "--dataset", "gsm8k", "--predictions", preds.toString(),
                "--data-dir", sharedData().toString(), "--offline");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("line 2"), run.err());
        assertFalse(run.err().contains("at dev.steeropt"), "no stack trace: " + run.err());
    }

    @Test
    void unknownDatasetIsAUsageError() throws Exception {
        Path preds = dir.resolve("p.jsonl");
        Files.writeString(preds, "{\"id\": \"x\", \"completion\": \"4\"}\n");
        CliRun run = CliRun.of("score", "--dataset", "gsm9k", "--predictions", preds.toString(), "--offline");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("gsm9k"), run.err());
    }
}
