package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.studies.spec.PairBuilder;
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
        assertEquals(PrunerKind.MEDIAN, d.pruner);
        assertEquals(PairBuilder.GOLD_VS_CORRUPTED_ANSWER, d.pairs);
        assertEquals(SteerPositions.FROM_LAST_PROMPT_TOKEN, d.steerPositions);
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
