package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.spec.CrossoverKind;
import dev.steeropt.studies.spec.PrunerKind;
import dev.steeropt.studies.spec.StudySpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How {@code optimize}'s multi-objective and NSGA-II options resolve into the spec (no model is loaded). */
class OptimizeMultiObjectiveOptionsTest {
    private final StringWriter err = new StringWriter();

    private StudySpec resolve(String... args) {
        OptimizeCommand cmd = new OptimizeCommand();
        CommandLine cli = new CommandLine(cmd);
        EdgeNames.register(cli);
        cli.setErr(new PrintWriter(err, true));
        cli.parseArgs(args);
        return cmd.resolve(false, Path.of("/m"), 4, "fp", false);
    }

    /** Catches: the median pruner default kept for several objectives (every trial would fail in report()). */
    @Test
    void severalObjectivesDefaultToNoPrunerAndTheKnee() {
        StudySpec s = resolve("--objectives", "accuracy,tokens");
        assertEquals(PrunerKind.NONE, s.search().pruner());
        assertEquals("knee", s.multiObjective().selection().toString());
        assertEquals(0, s.multiObjective().testAlso());
        assertEquals(PrunerKind.MEDIAN, resolve().search().pruner());
        assertNull(resolve("--objectives", "accuracy").multiObjective());
    }

    /** Catches: the population left at 50 for a short run (generation 1 would never start), or no note. */
    @Test
    void aShortNsga2RunGetsASmallerPopulationAndSaysSo() {
        StudySpec s = resolve("--objectives", "accuracy,tokens", "--sampler", "nsga2", "--n-trials", "24");
        assertEquals(6, s.search().nsga2().populationSize());
        assertTrue(err.toString().contains("using --population-size 6 (max(4, n_trials / 4))"), err.toString());
        assertEquals(4, resolve("--objectives", "accuracy,tokens", "--sampler", "nsga2", "--n-trials", "8")
                .search().nsga2().populationSize());
        StudySpec big = resolve("--sampler", "nsga2", "--n-trials", "100", "--crossover", "sbx",
                "--mutation-prob", "0.2", "--objectives", "accuracy,tokens");
        assertEquals(50, big.search().nsga2().populationSize());
        assertEquals(CrossoverKind.SBX, big.search().nsga2().crossover());
        assertEquals(CrossoverKind.UNIFORM, s.search().nsga2().crossover());
        assertEquals(0.2, big.search().nsga2().mutationProb());
        assertEquals(7, resolve("--objectives", "accuracy,tokens", "--sampler", "nsga2", "--n-trials", "24",
                "--population-size", "7").search().nsga2().populationSize());
    }

    @Test
    void optionsThatDoNotApplyAreRefused() {
        assertThrows(UserFacingException.class, () -> resolve("--crossover", "uniform"));
        assertThrows(UserFacingException.class, () -> resolve("--select", "knee"));
        assertThrows(UserFacingException.class, () -> resolve("--objectives", "accuracy,tokens", "--pruner", "median"));
    }
}
