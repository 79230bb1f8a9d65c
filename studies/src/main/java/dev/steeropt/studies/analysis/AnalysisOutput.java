package dev.steeropt.studies.analysis;

import dev.steeropt.studies.artifacts.Artifacts;
import dev.steeropt.studies.plots.ChartFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.jfree.chart.JFreeChart;

/**
 * Where an {@code analyze} command's results go: JSON (Jackson records, through the one mapper of {@link Artifacts})
 * and plots ({@link ChartFile}, PNG or SVG by extension) into {@code --out}, and the readable summary on stdout.
 * Every file written is listed on the summary's last line by {@link #done}.
 */
public final class AnalysisOutput {
    private final Artifacts artifacts;
    private final PrintWriter out;
    private final java.util.List<String> written = new java.util.ArrayList<>();

    /** Output into {@code dir} (created if missing), summary lines to {@code out}. */
    public AnalysisOutput(Path dir, PrintWriter out) {
        this.artifacts = new Artifacts(dir);
        this.out = out;
    }

    /** The output directory. */
    public Path dir() {
        return artifacts.dir();
    }

    /** Writes {@code value} (a record) as {@code dir/name}. */
    public Path json(String name, Object value) {
        written.add(name);
        return artifacts.writeJson(name, value);
    }

    /** Writes a chart as {@code dir/name} ({@code .png} or {@code .svg}). */
    public Path plot(String name, JFreeChart chart) {
        Path file = dir().resolve(name);
        ChartFile.write(chart, file);
        written.add(name);
        return file;
    }

    /** Records a file the command wrote itself (e.g. safetensors), for {@link #done}. */
    public Path wrote(String name) {
        written.add(name);
        return dir().resolve(name);
    }

    /** One summary line ({@link String#format} in the root locale). */
    public void line(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
    }

    /** The last summary line: every file written, and flushes. */
    public void done() {
        out.println("Wrote " + String.join(", ", written) + " in " + dir());
        out.flush();
    }
}
