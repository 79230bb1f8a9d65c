package dev.steeropt.studies.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One CLI invocation with captured stdout/stderr, for command tests. */
public record CliRun(int exitCode, String out, String err) {

    /** Runs {@code steeropt args...} in-process. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
