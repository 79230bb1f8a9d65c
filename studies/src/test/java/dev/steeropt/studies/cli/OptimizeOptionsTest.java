package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The trial-budget options of {@code optimize}: what {@code --help} says, and one clear line for a bad value. */
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
