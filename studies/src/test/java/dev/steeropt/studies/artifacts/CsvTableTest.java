package dev.steeropt.studies.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one CSV writer: every field reads back as written, CR included; {@code study_trials.csv} uses it. */
class CsvTableTest {

    private static List<List<String>> parse(String csv) throws IOException {
        List<List<String>> out = new ArrayList<>();
        try (CSVParser p = CSVParser.parse(new StringReader(csv), CsvTable.FORMAT)) {
            for (CSVRecord r : p) {
                out.add(r.toList());
            }
        }
        return out;
    }

    @Test
    void awkwardFieldsRoundTrip() throws IOException {
        List<String> header = List.of("a", "b,c", "d");
        List<List<String>> rows = List.of(List.of("plain", "with \"quotes\"", "line\nfeed"),
                List.of("carriage\rreturn", "", "crlf\r\nboth"), List.of(" lead", "trail ", "#hash"));
        String csv = CsvTable.format(header, rows);
        List<List<String>> back = parse(csv);
        assertEquals(header, back.get(0));
        assertEquals(rows, back.subList(1, back.size()));
        assertEquals("a,\"b,c\",d\n", csv.substring(0, csv.indexOf('\n') + 1), "records end in \\n");
        assertTrue(csv.contains("\"carriage\rreturn\""), "a lone CR is quoted: " + csv);
    }

    @Test
    void aShortRowIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CsvTable.format(List.of("a", "b"), List.of(List.of("x"))));
    }

    @Test
    void trialsCsvQuotesCarriageReturnsInUserAttributes(@TempDir Path dir) throws IOException {
        Instant t0 = Instant.parse("2026-01-02T03:04:05Z");
        FrozenTrial t = new FrozenTrial(1, 0, TrialState.FAIL, null, t0, t0.plusSeconds(2), Map.of("method", "CAA"),
                Map.of("method", dev.steeropt.optimizer.distributions.CategoricalDistribution.of("CAA", "DAC")),
                Map.of("note", "first\rsecond"), Map.of("fail_reason", "boom, \"bad\"\r\n"), new TreeMap<>(Map.of(0, 0.5)));
        Path csv = new Artifacts(dir).writeTrialsCsv(List.of(t));
        List<List<String>> back = parse(Files.readString(csv));
        assertEquals(2, back.size(), "one header and one row, although fields hold CR and LF");
        List<String> head = back.get(0);
        List<String> row = back.get(1);
        assertEquals("first\rsecond", row.get(head.indexOf("user_attrs_note")));
        assertEquals("boom, \"bad\"\r\n", row.get(head.indexOf("fail_reason")));
        assertEquals("CAA", row.get(head.indexOf("params_method")));
        assertEquals("0:0.5", row.get(head.indexOf("intermediate_values")));
    }

    @Test
    void trialsCsvHasOneValueColumnPerObjective(@TempDir Path dir) throws IOException {
        Instant t0 = Instant.parse("2026-01-02T03:04:05Z");
        FrozenTrial a = new FrozenTrial(0, 0, TrialState.COMPLETE, List.of(0.25, 41.0), t0, t0.plusSeconds(1), Map.of(),
                Map.of(), Map.of(), Map.of(), new TreeMap<>());
        FrozenTrial b = new FrozenTrial(1, 1, TrialState.RUNNING, null, t0, null, Map.of(), Map.of(), Map.of(),
                Map.of(), new TreeMap<>());
        List<List<String>> back = parse(Files.readString(new Artifacts(dir).writeTrialsCsv(List.of(a, b))));
        List<String> head = back.get(0);
        assertEquals(List.of("number", "state", "values_0", "values_1"), head.subList(0, 4));
        assertEquals(List.of("0.25", "41.0"), back.get(1).subList(2, 4));
        assertEquals(List.of("", ""), back.get(2).subList(2, 4));
        FrozenTrial one = new FrozenTrial(0, 0, TrialState.COMPLETE, List.of(0.5), t0, t0.plusSeconds(1), Map.of(),
                Map.of(), Map.of(), Map.of(), new TreeMap<>());
        List<List<String>> single = parse(Files.readString(new Artifacts(dir).writeTrialsCsv(List.of(one))));
        assertEquals("value", single.get(0).get(2));
        assertEquals("0.5", single.get(1).get(2));
    }
}
