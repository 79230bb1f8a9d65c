package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The trial-budget and retry options of {@code optimize}: what {@code --help} says, and one clear line for a bad value. */
class OptimizeOptionsTest {

    @Test
    void helpSaysBothBudgetsAreExactAndShared() {
        CliRun r = CliRun.of("optimize", "--help");
        assertEquals(0, r.exitCode(), r.err());
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("--n-trials=N Trials this run adds to the study (exactly; its --n-workers processes"
                + " draw from one counter"), help);
        assertTrue(help.contains("--max-trials=N Cap on the study's trials over every run, process and machine"
                + " (exactly;"), help);
        assertTrue(help.contains("Counted: COMPLETE, PRUNED and RUNNING; a FAIL trial (its objective threw, or its"
                + " process died) frees its slot and its params are retried (see --max-retry)."), help);
        assertTrue(help.contains("--max-retry=N Retries of a failed trial's params") && help.contains("(default: 3)")
                && help.contains("the run stops with exit 1"), help);
        assertTrue(!help.contains("--inject-trial-failure"), "the self-test option is hidden");
    }

    @Test
    void aNegativeMaxRetryIsOneErrorLineWithExitTwo() {
        CliRun r = CliRun.of("optimize", "--max-retry", "-1");
        assertEquals(2, r.exitCode(), r.err());
        String err = r.err().strip();
        assertTrue(err.startsWith("Error: Invalid --max-retry -1") && !err.contains("\n")
                && err.contains("Pass --max-retry 0"), err);
    }

    @Test
    void aMaxTrialsBelowOneIsOneErrorLineWithExitTwo() {
        CliRun r = CliRun.of("optimize", "--max-trials", "0");
        assertEquals(2, r.exitCode(), r.err());
        String err = r.err().strip();
        assertTrue(err.startsWith("Error: Invalid --max-trials 0") && !err.contains("\n")
                && err.contains("Pass --max-trials 1 or more"), err);
    }
}
