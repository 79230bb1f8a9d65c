package dev.steeropt.studies.analysis.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.studies.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze patch} on the embedded pair: patching demo-hasty with its own cached activations changes nothing
 * (the same gold log-probability to the last bit and the same accuracy at every layer and every head, through the
 * patch's real path, also on the corrupted prompts); patching demo-careful's residual entering block 3 (the output of
 * blocks 0-2, which carry the mode) at the last prompt token into demo-hasty recovers most of the accuracy gap, and
 * the embedding (layer 0) none; per head, demo-careful's heads move demo-hasty's gold log-probability unequally;
 * within one model, the clean prompts' embedding patched into every position of the corrupted prompts recovers
 * exactly all of the gap (the runs are then the same computation), and bad combinations of options are refused.
 */
class PatchCommandTest {
    @TempDir
    Path tmp;

    private JsonNode json(Path out) throws Exception {
        return new ObjectMapper().readTree(out.resolve(PatchCommand.JSON).toFile());
    }

    @Test
    void selfPatchIsAnIdentity() throws Exception {
        Path out = tmp.resolve("self");
        for (String positions : new String[] {"last", "prompt", "all"}) {
            CliRun r = CliRun.of("analyze", "patch", "--target-model", "demo-hasty", "--source-model", "demo-hasty",
                    "--layers", "1,3", "--positions", positions, "--n", "20", "--out", out.toString());
            assertEquals(0, r.exitCode(), r.err());
            JsonNode json = json(out);
            assertEquals(2, json.get("layers").size());
            for (JsonNode l : json.get("layers")) {
                assertEquals(json.get("target_gold_logprob").asDouble(), l.get("gold_logprob").asDouble(), 0.0,
                        positions + " " + l);
                assertEquals(json.get("target_accuracy").asDouble(), l.get("accuracy").asDouble(), 0.0, l.toString());
            }
        }
    }

    @Test
    void selfPatchOfEveryHeadIsAnIdentityOnCleanAndOnCorruptedPrompts() throws Exception {
        for (String prompts : new String[] {"clean", "corrupted"}) {
            Path out = tmp.resolve("heads-self-" + prompts);
            CliRun r = CliRun.of("analyze", "patch", "--target-model", "demo-hasty", "--source-model", "demo-hasty",
                    "--source-prompts", prompts, "--target-prompts", prompts, "--per-head", "--layers", "2",
                    "--positions", "all", "--n", "12", "--out", out.toString());
            assertEquals(0, r.exitCode(), r.err());
            JsonNode json = json(out);
            assertEquals("attn.hook_z", json.get("component").asText());
            assertEquals(4, json.get("heads").size(), json.toString());
            assertEquals(0, json.get("layers").size());
            assertEquals(json.get("target_gold_logprob").asDouble(), json.get("source_gold_logprob").asDouble(), 0.0);
            for (JsonNode h : json.get("heads")) {
                assertEquals(json.get("target_gold_logprob").asDouble(), h.get("gold_logprob").asDouble(), 0.0,
                        prompts + " " + h);
                assertEquals(json.get("target_accuracy").asDouble(), h.get("accuracy").asDouble(), 0.0, h.toString());
            }
            assertTrue(Files.size(out.resolve(PatchCommand.HEADS_PLOT)) > 0);
        }
    }

    @Test
    void carefulResidualAtLayerThreeRecoversMostOfTheGap() throws Exception {
        Path out = tmp.resolve("cross");
        CliRun r = CliRun.of("analyze", "patch", "--target-model", "demo-hasty", "--source-model", "demo-careful",
                "--layers", "0,3", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = json(out);
        assertTrue(json.get("source_accuracy").asDouble() > json.get("target_accuracy").asDouble() + 0.2, json.toString());
        JsonNode l0 = json.get("layers").get(0);
        JsonNode l3 = json.get("layers").get(1);
        assertTrue(Math.abs(l0.get("accuracy_recovered").asDouble()) < 0.1, l0.toString());
        assertTrue(l3.get("accuracy_recovered").asDouble() > 0.5, l3.toString());
        assertTrue(l3.get("logprob_recovered").asDouble() > 0.3, l3.toString());
    }

    @Test
    void carefulHeadsMoveTheGoldLogprobUnequally() throws Exception {
        Path out = tmp.resolve("heads");
        CliRun r = CliRun.of("analyze", "patch", "--target-model", "demo-hasty", "--source-model", "demo-careful",
                "--per-head", "--layers", "1,2", "--n", "20", "--seed", "0", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = json(out);
        assertEquals(8, json.get("heads").size(), json.toString());
        Set<Double> effects = new HashSet<>();
        double largest = 0;
        for (JsonNode h : json.get("heads")) {
            effects.add(h.get("logprob_recovered").asDouble());
            largest = Math.max(largest, Math.abs(h.get("logprob_recovered").asDouble()));
        }
        // a no-op head patch gives 0 at every head
        assertTrue(largest > 0.02, "some head moves the gold log-probability: " + json.get("heads"));
        assertTrue(effects.size() > 1, "the heads differ: " + json.get("heads"));
        assertTrue(Files.size(out.resolve(PatchCommand.HEADS_PLOT)) > 0);
    }

    @Test
    void cleanEmbeddingIntoEveryCorruptedPromptPositionRecoversAllOfTheGap() throws Exception {
        Path out = tmp.resolve("within");
        CliRun r = CliRun.of("analyze", "patch", "--target-model", "demo-careful", "--source-prompts", "clean",
                "--target-prompts", "corrupted", "--positions", "prompt", "--layers", "0,3", "--n", "20",
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = json(out);
        assertEquals("demo-careful", json.get("source").asText());
        assertTrue(json.get("n").asInt() >= 15, json.toString());
        // the clean answer is likelier after the clean question than after the corrupted one
        assertTrue(json.get("source_gold_logprob").asDouble() > json.get("target_gold_logprob").asDouble() + 1,
                json.toString());
        JsonNode l0 = json.get("layers").get(0);
        assertEquals(1.0, l0.get("logprob_recovered").asDouble(), 0.0, l0.toString());
        assertEquals(json.get("source_accuracy").asDouble(), l0.get("accuracy").asDouble(), 0.0, l0.toString());

        Path heads = tmp.resolve("within-heads");
        CliRun h = CliRun.of("analyze", "patch", "--target-model", "demo-careful", "--source-prompts", "clean",
                "--target-prompts", "corrupted", "--positions", "prompt", "--per-head", "--layers", "0", "--n", "20",
                "--out", heads.toString());
        assertEquals(0, h.exitCode(), h.err());
        Set<Double> effects = new HashSet<>();
        for (JsonNode e : json(heads).get("heads")) {
            effects.add(e.get("logprob_recovered").asDouble());
        }
        assertTrue(effects.size() > 1 && !effects.equals(Set.of(0.0)), "the heads of block 0 differ: " + effects);
    }

    @Test
    void badCombinationsAreRefusedWithOneLine() {
        String o = tmp.resolve("bad").toString();
        CliRun none = CliRun.of("analyze", "patch", "--out", o);
        assertEquals(2, none.exitCode());
        assertTrue(none.err().startsWith("Error: analyze patch needs a source model or other source prompts"), none.err());
        CliRun same = CliRun.of("analyze", "patch", "--source-prompts", "corrupted", "--target-prompts", "corrupted",
                "--out", o);
        assertEquals(2, same.exitCode());
        assertTrue(same.err().startsWith("Error: analyze patch needs a source model or other source prompts"), same.err());
        CliRun both = CliRun.of("analyze", "patch", "--source-model", "demo-careful", "--per-head", "--component",
                "attn_out", "--out", o);
        assertEquals(2, both.exitCode());
        assertTrue(both.err().startsWith("Error: --per-head and --component attn_out were both given"), both.err());
        CliRun set = CliRun.of("analyze", "patch", "--source-prompts", "dirty", "--out", o);
        assertEquals(2, set.exitCode());
        assertTrue(set.err().contains("dirty") && set.err().contains("corrupted"), set.err());
        for (CliRun r : new CliRun[] {none, same, both, set}) {
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
