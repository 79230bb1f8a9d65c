package dev.steeropt.studies.importance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Python with optuna 5.0.0, scikit-learn, grpcio and protobuf that the Optuna interop tests run:
 * {@code ../.venv-optuna/bin/python} (made by {@code .ci/run}) or {@code -Dsteeropt.optuna.python}.
 */
public final class OptunaVenv {
    /** What the tests tell the user when the venv is missing. */
    public static final String MISSING = "SKIPPED LOUDLY: no Python with optuna==5.0.0, scikit-learn, grpcio and"
            + " protobuf (run .ci/run, which builds .venv-optuna from the local wheel index, or pass"
            + " -Dsteeropt.optuna.python=/path/to/python)";

    private OptunaVenv() {}

    /** The interpreter, or {@code null} if none has the packages. */
    public static String python() throws InterruptedException {
        List<String> candidates = new ArrayList<>();
        if (System.getProperty("steeropt.optuna.python") != null) {
            candidates.add(System.getProperty("steeropt.optuna.python"));
        }
        Path venv = Path.of("..", ".venv-optuna", "bin", "python");
        if (Files.isExecutable(venv)) {
            candidates.add(venv.toAbsolutePath().toString());
        }
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "-c",
                        "import optuna, sklearn, grpc, google.protobuf; assert optuna.__version__ == '5.0.0'")
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0) {
                    return c;
                }
            } catch (IOException e) {
                // not installed: try the next one
            }
        }
        System.err.println(MISSING);
        return null;
    }
}
