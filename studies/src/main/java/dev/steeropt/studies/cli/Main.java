package dev.steeropt.studies.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The {@code steeropt} command line: one subcommand class per command, results on stdout, logs on stderr.
 *
 * <p>Exit codes: 0 success, 1 runtime failure, 2 bad arguments or configuration. Expected errors print one message
 * (what, why, how to fix) and no stack trace unless {@code -v} is given.
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
        })
public final class Main implements Runnable {

    /**
     * Exception types from the library modules that carry a complete user-facing message. They are reported like
     * {@link UserFacingException} (message only, exit code 2 for configuration problems, 1 otherwise).
     */
    private static final List<Class<? extends RuntimeException>> USER_FACING = List.of(UserFacingException.class,
            dev.steeropt.optimizer.storage.StorageException.class);

    /** Library exception types that mean bad input (a file, a name, a value): exit code 2. */
    private static final List<Class<? extends RuntimeException>> BAD_INPUT = List.of(
            dev.steeropt.eval.EvaluationInputException.class,
            dev.steeropt.core.model.ModelLoadException.class);

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
            err.println("Error: " + ex.getMessage());
            err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return UserFacingException.USAGE;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints expected errors as one message; unexpected ones with their type, and a stack trace under -v. */
    static final class ErrorHandler implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parsed) {
            PrintWriter err = cli.getErr();
            if (ex instanceof UserFacingException ufe) {
                report(err, ufe.getMessage(), ex);
                return ufe.exitCode();
            }
            for (Class<? extends RuntimeException> type : BAD_INPUT) {
                if (type.isInstance(ex)) {
                    report(err, ex.getMessage(), ex);
                    return UserFacingException.USAGE;
                }
            }
            for (Class<? extends RuntimeException> type : USER_FACING) {
                if (type.isInstance(ex)) {
                    report(err, ex.getMessage(), ex);
                    return UserFacingException.RUNTIME;
                }
            }
            err.println("Error: unexpected " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
            if (VerbosityMixin.verbose()) {
                ex.printStackTrace(err);
            } else {
                err.println("Run again with -v for the stack trace, and report it if the cause is not your input.");
            }
            return UserFacingException.RUNTIME;
        }

        private static void report(PrintWriter err, String message, Exception ex) {
            err.println("Error: " + message);
            if (VerbosityMixin.verbose()) {
                ex.printStackTrace(err);
            }
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
