package dev.steeropt.studies.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Gives every subcommand {@code -v} (DEBUG, and stack traces on errors) and {@code -q} (warnings only). */
public final class VerbosityMixin {
    private static volatile int verbosity;

    @Option(names = {"-v", "--verbose"}, description = "More output: -v adds DEBUG logs and stack traces of errors.")
    void setVerbose(boolean[] flags) {
        verbosity = flags.length;
        apply(flags.length >= 1 ? Level.DEBUG : Level.INFO);
    }

    @Option(names = {"-q", "--quiet"}, description = "Only warnings and errors on stderr.")
    void setQuiet(boolean quiet) {
        if (quiet) {
            verbosity = -1;
            apply(Level.WARN);
        }
    }

    /** Whether {@code -v} was given on the command line being executed. */
    public static boolean verbose() {
        return verbosity > 0;
    }

    private static void apply(Level level) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        ((Logger) LoggerFactory.getLogger("dev.steeropt")).setLevel(level);
    }
}
