package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ask → tell round trips through the CLI on a SQLite file, as Optuna's CLI does. */
class AskCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPACE = "{\"x\": {\"name\": \"FloatDistribution\", \"attributes\": {\"low\": -4.0,"
            + " \"high\": 4.0}}, \"layer\": {\"name\": \"IntDistribution\", \"attributes\": {\"low\": 0, \"high\":"
            + " 23}}, \"method\": {\"type\": \"categorical\", \"choices\": [\"CAA\", \"DAC\"]}}";

    @TempDir
    Path dir;

    @Test
    void askPrintsNumberAndParamsInSearchSpaceOrderAndTellFinishesTheTrial() throws Exception {
        String url = "sqlite:///" + dir.resolve("ask.db");
        assertEquals(0, CliRun.of("create-study", "--storage", url, "--study-name", "s1").exitCode());
        for (int n = 0; n < 3; n++) {
            CliRun ask = CliRun.of("ask", "--storage", url, "--study-name", "s1", "--sampler", "RandomSampler",
                    "--sampler-kwargs", "{\"seed\": " + n + "}", "--search-space", SPACE);
            assertEquals(0, ask.exitCode(), ask.err());
            JsonNode r = JSON.readTree(ask.out());
            assertEquals(n, r.get("number").asInt());
            List<String> names = new ArrayList<>();
            r.get("params").fieldNames().forEachRemaining(names::add);
            assertEquals(List.of("x", "layer", "method"), names);
            double x = r.get("params").get("x").asDouble();
            assertTrue(-4 <= x && x <= 4, "x in bounds: " + x);
            assertTrue(r.get("params").get("layer").isIntegralNumber());
            assertTrue(List.of("CAA", "DAC").contains(r.get("params").get("method").asText()));
            CliRun tell = CliRun.of("tell", "--storage", url, "--study-name", "s1", "--trial-number",
                    Integer.toString(n), "--values", Double.toString(x * x));
            assertEquals(0, tell.exitCode(), tell.err());
        }
        JsonNode trials = JSON.readTree(CliRun.of("trials", "--storage", url, "--study-name", "s1", "-f", "json")
                .out());
        assertEquals(3, trials.size());
        trials.forEach(t -> assertEquals("COMPLETE", t.get("state").asText()));
        CliRun tpe = CliRun.of("ask", "--storage", url, "--study-name", "s1", "--sampler-kwargs", "{\"seed\": 7}",
                "--search-space", SPACE);
        assertEquals(0, tpe.exitCode(), tpe.err());
        assertEquals(3, JSON.readTree(tpe.out()).get("number").asInt());
    }

    @Test
    void badSamplerSearchSpaceOrStudyAreOneLineErrors() {
        String url = "sqlite:///" + dir.resolve("bad.db");
        CliRun.of("create-study", "--storage", url, "--study-name", "s1");
        CliRun badSampler = CliRun.of("ask", "--storage", url, "--study-name", "s1", "--sampler", "CmaEsSampler",
                "--search-space", SPACE);
        assertEquals(2, badSampler.exitCode());
        CliRun badJson = CliRun.of("ask", "--storage", url, "--study-name", "s1", "--search-space", "{x:");
        assertEquals(2, badJson.exitCode());
        CliRun badDist = CliRun.of("ask", "--storage", url, "--study-name", "s1", "--search-space",
                "{\"x\": {\"type\": \"float\", \"low\": 5, \"high\": 1}}");
        assertEquals(2, badDist.exitCode());
        assertTrue(badDist.err().contains("'x'"), badDist.err());
        CliRun unknown = CliRun.of("ask", "--storage", url, "--study-name", "nope", "--search-space", SPACE);
        assertEquals(2, unknown.exitCode());
        for (CliRun r : List.of(badSampler, badJson, badDist, unknown)) {
            assertTrue(!r.err().contains("\tat "), r.err());
        }
    }
}
