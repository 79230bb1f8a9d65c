package dev.steeropt.studies.cli;

import dev.steeropt.studies.errors.UserFacingException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The {@code steeropt} command line: one subcommand class per command, results on stdout, logs on stderr.
 *
 * <p>Exit codes: 0 success, 1 runtime failure, 2 bad arguments, configuration or input files. Expected errors
 * ({@link UserFacingException} and its subclasses in every module) print one line starting {@code Error:} (what,
 * why, how to fix) and no stack trace unless {@code -v} is given.
 */
@Command(
        name = "steeropt",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Find the best activation-steering configuration of a language model, and prove it once on test.",
        subcommands = {
            CommandLine.HelpCommand.class,
            GenerateCommand.class,
            ActivationsCommand.class,
            CacheCommand.class,
            InitModelCommand.class,
            TrainDemoModelCommand.class,
            BenchRuntimeCommand.class,
            StudiesCommand.class,
            TrialsCommand.class,
            BestTrialCommand.class,
            CreateStudyCommand.class,
            DeleteStudyCommand.class,
            ExportCommand.class,
            AskCommand.class,
            TellCommand.class,
            QueryCommand.class,
            ScoreCommand.class,
            ValidateZeroCommand.class,
            BenchSamplerCommand.class,
            OptimizeCommand.class,
            dev.steeropt.studies.analysis.AnalyzeCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line with the given writers; returns the exit code (used by tests). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = newCommandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    /** The configured command tree, with error handling and exit codes set. */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new Main());
        EdgeNames.register(cli);
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            String message = ex.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
            err.println("Error: " + message + (message.endsWith(".") ? "" : ".") + " Run '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return UserFacingException.USAGE;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Prints a user error (a {@link UserFacingException}, or another module's domain error that
     * {@link UserFacingException#of} maps) as one {@code Error:} line and
     * returns its exit code; anything else is a bug, reported on one line with its type and exit code 1. A stack
     * trace follows only with {@code -v}.
     */
    static final class ErrorHandler implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parsed) {
            PrintWriter err = cli.getErr();
            int exitCode;
            UserFacingException ufe = UserFacingException.of(ex).orElse(null);
            if (ufe != null) {
                err.println("Error: " + ufe.getMessage());
                exitCode = ufe.exitCode();
            } else {
                err.println("Error: unexpected " + ex.getClass().getSimpleName() + ": "
                        + String.valueOf(ex.getMessage()).strip().replaceAll("\\s*\\R\\s*", " ")
                        + (VerbosityMixin.verbose() ? "" : " (a bug, not your input: run again with -v for the stack trace"
                                + " and report it)"));
                exitCode = UserFacingException.RUNTIME;
            }
            if (VerbosityMixin.verbose()) {
                ex.printStackTrace(err);
            }
            return exitCode;
        }
    }

    /** Version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"steeropt " + (v == null ? "dev" : v)};
        }
    }
}
