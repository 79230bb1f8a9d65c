package dev.steeropt.studies.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.studies.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The representation analyses end to end on the embedded demo pair, through the CLI: each writes its JSON in the
 * issue's shape and its plots, and bad input is one {@code Error:} line with exit code 2.
 */
class RepresentationCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void usageError(Run r, String fragment) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("Error") && r.err().contains(fragment), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void logitLensWritesTheIssuesShapeAndItsLastLayerIsTheModel(@TempDir Path dir) throws Exception {
        Run r = run("analyze", "logit-lens", "--n", "4", "--top-k", "3", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("max |diff| 0.00e+00"), "the last block's lens is the model's head: " + r.out());
        JsonNode j = JSON.readTree(dir.resolve("logit_lens.json").toFile());
        assertEquals(List.of(0, 1, 2, 3), JSON.convertValue(j.get("layers"), List.class));
        assertEquals(4, j.get("rows").size());
        int last = 0;
        int layer0Moves = 0;
        for (JsonNode row : j.get("rows")) {
            for (JsonNode c : row.get("positions")) {
                assertEquals(3, c.get("top").size());
                assertTrue(c.get("top").get(0).get(0).isInt() && c.get("top").get(0).get(1).isDouble(), c.toString());
                assertTrue(c.get("gold_rank").asInt() >= 1 && c.get("gold_prob").asDouble() <= 1, c.toString());
                if (c.get("layer").asInt() == 3) {
                    assertEquals(0.0, c.get("kl_to_final").asDouble(), 1e-9, "last layer = final distribution");
                    last++;
                } else if (c.get("layer").asInt() == 0 && c.get("kl_to_final").asDouble() > 1e-3) {
                    layer0Moves++;
                }
            }
        }
        assertTrue(last > 0 && layer0Moves > 0, last + " last-layer cells, " + layer0Moves + " layer-0 cells away from final");
        assertTrue(Files.size(dir.resolve("logit_lens.png")) > 0 && Files.size(dir.resolve("logit_lens_top1.txt")) > 0);

        Path ids = dir.resolve("ids.json");
        Files.writeString(ids, "{\"input_ids\": [[0, 0, 5, 6, 7], [8, 9, 10, 11, 12]], \"attention_mask\": [[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]]}");
        Run fromIds = run("analyze", "logit-lens", "--input-ids", ids.toString(), "--layers", "1,3", "--out", dir.resolve("ids").toString());
        assertEquals(0, fromIds.code(), fromIds.err());
        JsonNode k = JSON.readTree(dir.resolve("ids/logit_lens.json").toFile());
        assertEquals(3 * 2, k.get("rows").get(0).get("positions").size(), "pads omitted: 3 positions x 2 layers");
        assertEquals(2, k.get("rows").get(0).get("positions").get(0).get("position").asInt(), "t indexes the input as given");
        assertTrue(k.get("rows").get(0).get("positions").get(0).get("gold_rank").isNull(), "no gold without a dataset");
        usageError(run("analyze", "logit-lens", "--input-ids", ids.toString(), "--prompt", "x", "--out", dir.toString()), "both given");

        // --prompt is literal prompt text: one row, as many positions as that text's tokens (a longer text, more)
        int[] positions = new int[2];
        String[] texts = {"Q: 2+3?", "Q: what is 12 + 30 - 7?"};
        for (int i = 0; i < 2; i++) {
            Path o = dir.resolve("text" + i);
            Run t = run("analyze", "logit-lens", "--prompt", texts[i], "--layers", "0", "--out", o.toString());
            assertEquals(0, t.code(), t.err());
            JsonNode tj = JSON.readTree(o.resolve("logit_lens.json").toFile());
            assertEquals(1, tj.get("rows").size(), "one literal prompt, one row (not the dataset's items)");
            positions[i] = tj.get("rows").get(0).get("positions").size();
        }
        assertTrue(positions[1] > positions[0], positions[0] + " vs " + positions[1] + " positions");
    }

    @Test
    void ckaOfThePairHasTheIssuesShape(@TempDir Path dir) throws Exception {
        Run r = run("analyze", "cka", "--versus", "demo-careful", "--n", "12", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = JSON.readTree(dir.resolve("cka.json").toFile());
        assertEquals(12, j.get("n").asInt());
        assertEquals("last", j.get("read").asText(), "a dataset defaults to the last token");
        for (String m : List.of("linear", "rbf")) {
            assertEquals(4, j.get(m).size());
            assertEquals(4, j.get(m).get(0).size());
            for (String within : List.of("within_a", "within_b")) {
                for (int i = 0; i < 4; i++) {
                    assertEquals(1.0, j.get(within).get(m).get(i).get(i).asDouble(), 1e-9, within + " " + m + " self-similarity");
                }
            }
            double d = j.get(m).get(2).get(2).asDouble();
            assertTrue(d > 0 && d < 1 - 1e-6, "two different models are not identical: " + d);
        }
        for (String png : List.of("cka_linear.png", "cka_rbf.png", "cka_diagonal.png", "cka_linear_within_a.png")) {
            assertTrue(Files.size(dir.resolve(png)) > 0, png);
        }
        Run all = run("analyze", "cka", "--n", "3", "--read", "all", "--kernel", "linear", "--debiased", "--out", dir.resolve("all").toString());
        assertEquals(0, all.code(), all.err());
        JsonNode a = JSON.readTree(dir.resolve("all/cka.json").toFile());
        assertTrue(a.get("n").asInt() > 3 * 10, "every non-pad position is a row: " + a.get("n"));
        assertTrue(a.get("rbf") == null && a.get("within_a") == null, "only the asked kernel; no within without --versus");
        usageError(run("analyze", "cka", "--kernel", "cosine", "--out", dir.toString()), "cosine");
    }

    @Test
    void ckaReadAllRefusesModelsThatTokeniseDifferently(@TempDir Path dir) throws Exception {
        Path models = Path.of(System.getProperty("steeropt.shared"), "fixtures", "models");
        String llama = models.resolve("tiny-llama-fp32").toString();
        String qwen2 = models.resolve("tiny-qwen2-fp32").toString(); // another tokenizer
        usageError(run("analyze", "cka", "--model", llama, "--versus", qwen2, "--n", "3", "--read", "all",
                "--out", dir.resolve("all").toString()), "--read all needs the same token ids on both sides");
        assertFalse(Files.exists(dir.resolve("all/cka.json")), "nothing written for a refused run");
        Run last = run("analyze", "cka", "--model", llama, "--versus", qwen2, "--n", "6", "--read", "last",
                "--kernel", "linear", "--prompt-format", "question-answer", "--out", dir.resolve("last").toString());
        assertEquals(0, last.code(), last.err());
        JsonNode j = JSON.readTree(dir.resolve("last/cka.json").toFile());
        assertEquals(6, j.get("n").asInt(), "--read last pairs each input's last token across the two tokenizers");
    }

    @Test
    void variabilitySamplesWithASeedPerSample(@TempDir Path dir) throws Exception {
        String[] args = {"analyze", "variability", "--n", "5", "--samples", "3", "--temperature", "1.0", "--out", dir.resolve("a").toString()};
        Run r = run(args);
        assertEquals(0, r.code(), r.err());
        JsonNode j = JSON.readTree(dir.resolve("a/variability.json").toFile());
        JsonNode m = j.get("models").get(0);
        assertEquals(5, m.get("problems").size());
        boolean varied = false;
        for (JsonNode p : m.get("problems")) {
            assertEquals(3, p.get("samples").asInt());
            assertEquals(p.get("sd_tokens").asDouble() / p.get("mean_tokens").asDouble(), p.get("cv").asDouble(), 1e-12);
            varied |= p.get("sd_tokens").asDouble() > 0;
        }
        assertTrue(varied, "samples of one problem differ (each has its own seed)");
        args[args.length - 1] = dir.resolve("b").toString();
        assertEquals(0, run(args).code());
        assertEquals(Files.readString(dir.resolve("a/variability.json")), Files.readString(dir.resolve("b/variability.json")),
                "the same seeds give the same samples");
        assertTrue(Files.size(dir.resolve("a/variability.png")) > 0);
        usageError(run("analyze", "variability", "--samples", "1", "--out", dir.toString()), "--samples");
    }

    @Test
    void probesOfDifficultyAndBadLabels(@TempDir Path dir) throws Exception {
        Run r = run("analyze", "probes", "--label", "difficulty", "--n-train", "60", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = JSON.readTree(dir.resolve("probes.json").toFile());
        JsonNode overall = j.get("models").get(0).get("overall");
        assertEquals(4, overall.get("layers").size());
        JsonNode after = overall.get("balance").get("after");
        int first = after.elements().next().asInt();
        after.elements().forEachRemaining(v -> assertEquals(first, v.asInt(), "balanced: " + after));
        assertNotEquals(0, j.get("models").get(0).get("families").size(), "per family (template)");
        assertTrue(Files.size(dir.resolve("probes.png")) > 0);
        usageError(run("analyze", "probes", "--label", "vibes", "--out", dir.toString()), "vibes");
        usageError(run("analyze", "report", "--preset", "layers", "--out", dir.toString()), "--layers");
    }

    @Test
    void probesFindThePlantedModeInTheGeneratedTokensFromTheFirstBlock(@TempDir Path dir) throws Exception {
        Run r = run("analyze", "probes", "--label", "mode", "--read", "mean_generated", "--n-train", "150",
                "--max-new-tokens", "320", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode hasty = JSON.readTree(dir.resolve("probes.json").toFile()).get("models").get(0);
        JsonNode after = hasty.get("overall").get("balance").get("after");
        assertEquals(2, after.size(), "careful and hasty completions both occur: " + after);
        assertTrue(after.get("careful").asInt() >= 10, "enough careful completions to probe: " + after);
        for (JsonNode layer : hasty.get("overall").get("layers")) {
            assertTrue(layer.get("accuracy").asDouble() > 0.9, "the mode is linear in the generated tokens' residuals: " + layer);
        }
        assertTrue(r.out().contains("first layer above 90%: 0"), r.out());
    }

    @Test
    void probesReadThroughTheActivationCache(@TempDir Path dir) throws Exception {
        String[] args = {"analyze", "probes", "--label", "gold_vs_corrupted_answer", "--n-train", "20", "--layers", "2,3",
            "--out", dir.toString()};
        Run first = run(args);
        assertEquals(0, first.code(), first.err());
        String before = Files.readString(dir.resolve("probes.json"));
        long entries;
        try (var s = Files.walk(dir.resolve("cache"))) {
            entries = s.filter(Files::isRegularFile).count();
        }
        assertTrue(entries >= 2, "one cache entry per layer: " + entries);
        Run second = run(args);
        assertEquals(0, second.code(), second.err());
        assertEquals(before, Files.readString(dir.resolve("probes.json")), "the cached reads give the same probes");
        JsonNode j = JSON.readTree(dir.resolve("probes.json").toFile());
        assertEquals(List.of(2, 3), j.get("models").get(0).get("overall").get("layers").findValuesAsText("layer").stream()
                .map(Integer::valueOf).toList(), "--layers chooses the probed blocks");
    }
}
