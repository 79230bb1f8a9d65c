package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.studies.spec.Metric;
import dev.steeropt.studies.spec.PairBuilder;
import dev.steeropt.studies.spec.StudySpec;
import dev.steeropt.studies.spec.PromptKind;
import dev.steeropt.studies.spec.PrunerKind;
import dev.steeropt.studies.spec.SamplerKind;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** optimize's closed-set options are typed: edge names in any case convert, unknown ones are one-line usage errors. */
class EdgeNamesTest {

    private static OptimizeCommand parse(String... args) {
        CommandLine cli = Main.newCommandLine();
        CommandLine.ParseResult r = cli.parseArgs(args);
        return (OptimizeCommand) r.subcommand().commandSpec().userObject();
    }

    @Test
    void edgeNamesConvertInAnyCaseAndDefaultsApply() {
        OptimizeCommand c = parse("optimize", "--sampler", "Random", "--pruner", "NONE", "--prompt", "K-Shot",
                "--pairs", "ANSWER-OFF-BY-ONE", "--steer-positions", "all");
        assertEquals(SamplerKind.RANDOM, c.sampler);
        assertEquals(PrunerKind.NONE, c.pruner);
        assertEquals(PromptKind.K_SHOT, c.prompt);
        assertEquals(PairBuilder.ANSWER_OFF_BY_ONE, c.pairs);
        assertEquals(SteerPositions.ALL, c.steerPositions);
        OptimizeCommand d = parse("optimize");
        assertEquals(SamplerKind.TPE, d.sampler);
        // the pruner has no edge default either: resolve() picks median, or none for several objectives
        org.junit.jupiter.api.Assertions.assertNull(d.pruner);
        // no default at the edge: resolve() picks them per model (careful_vs_hasty and last_prompt_token on a demo model)
        org.junit.jupiter.api.Assertions.assertNull(d.pairs);
        org.junit.jupiter.api.Assertions.assertNull(d.steerPositions);
        StudySpec demo = d.resolve(false, java.nio.file.Path.of("/m"), 4, "f", true);
        assertEquals(PairBuilder.CAREFUL_VS_HASTY, demo.pairBuilder());
        assertEquals(SteerPositions.LAST_PROMPT_TOKEN, demo.steerPositions());
        assertEquals(PrunerKind.MEDIAN, demo.search().pruner());
        assertEquals(200, demo.splits().test());
        assertEquals(24, demo.budget().nTrials(), "the demo debug search has the trials that recover the planted effect");
        assertEquals(8, demo.search().samplerStartupTrials());
        StudySpec other = d.resolve(false, java.nio.file.Path.of("/m"), 4, "f", false);
        assertEquals(PairBuilder.GOLD_VS_CORRUPTED_ANSWER, other.pairBuilder());
        assertEquals(SteerPositions.FROM_LAST_PROMPT_TOKEN, other.steerPositions());
        assertEquals(48, other.splits().test());
        assertEquals(12, other.budget().nTrials());
        assertEquals(4, other.search().samplerStartupTrials());
        StudySpec demoFull = d.resolve(true, java.nio.file.Path.of("/m"), 4, "f", true);
        assertEquals(50, demoFull.budget().nTrials(), "--mode full keeps its budget on a demo model");
    }

    @Test
    void datasetMetricAndModeAreTypedToo() {
        OptimizeCommand c = parse("optimize", "--dataset", "GSM8K", "--metric", "Strict", "--mode", "FULL");
        assertEquals(DatasetName.GSM8K, c.dataset);
        assertEquals(Metric.STRICT, c.metric);
        assertEquals(OptimizeCommand.Mode.FULL, c.mode);
        OptimizeCommand d = parse("optimize");
        assertEquals(null, d.dataset, "the mode picks the dataset");
        assertEquals(Metric.FLEXIBLE, d.metric);
        assertEquals(OptimizeCommand.Mode.DEBUG, d.mode);
        CommandLine.ParseResult ask = Main.newCommandLine().parseArgs("ask", "--study-name", "s", "--search-space", "{}",
                "--sampler", "randomsampler");
        assertEquals(AskSampler.RANDOM, ((AskCommand) ask.subcommand().commandSpec().userObject()).sampler);
        CommandLine.ParseResult askDefault = Main.newCommandLine().parseArgs("ask", "--study-name", "s",
                "--search-space", "{}");
        assertEquals(AskSampler.TPE, ((AskCommand) askDefault.subcommand().commandSpec().userObject()).sampler);
    }

    @Test
    void unknownDatasetMetricModeSamplerOrFormatIsOneErrorLineListingTheValidNames() {
        String[][] cases = {
            {"gsm8k, math500, synthetic", "optimize", "--dataset", "mmlu"},
            {"flexible, strict", "optimize", "--metric", "exact"},
            {"debug, full", "optimize", "--mode", "fast"},
            {"TPESampler, RandomSampler", "ask", "--study-name", "s", "--search-space", "{}", "--sampler", "CmaEsSampler"},
            {"text, json", "score", "--dataset", "gsm8k", "--predictions", "p.jsonl", "--format", "xml"},
            {"CAA, DAC", "generate", "--method", "xyz"},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            CliRun run = CliRun.of(args);
            assertEquals(2, run.exitCode(), String.join(" ", args) + "\n" + run.err());
            assertTrue(run.err().startsWith("Error: ") && run.err().lines().count() == 1
                    && run.err().contains("'" + args[args.length - 1] + "'") && run.err().contains(c[0]),
                    String.join(" ", args) + "\n" + run.err());
        }
    }

    @Test
    void anUnknownNameIsAUsageErrorListingTheKnownOnes() {
        CliRun run = CliRun.of("optimize", "--sampler", "cmaes");
        assertEquals(2, run.exitCode(), run.err());
        String first = run.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("Error: ") && first.contains("'cmaes'") && first.contains("tpe, random, grid"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
        CliRun positions = CliRun.of("optimize", "--steer-positions", "prompt");
        assertEquals(2, positions.exitCode());
        assertTrue(positions.err().contains("all, generated, from_last_prompt_token"), positions.err());
    }
}
