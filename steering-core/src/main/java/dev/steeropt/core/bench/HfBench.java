package dev.steeropt.core.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs {@code shared/tools/hf-bench.py} (HF transformers on the CPU, the same protocol as {@link RuntimeBenchmark})
 * on a model directory in a child Python process, so both sides are timed on the same weights in one run.
 *
 * @param python   a Python with torch and transformers (e.g. the repository's {@code .venv-hf/bin/python})
 * @param script   hf-bench.py
 */
public record HfBench(Path python, Path script) {

    /**
     * Runs the HF side and returns its figures and the raw JSON object it printed.
     *
     * @param log where the script's progress lines go
     * @throws IllegalStateException if the script fails (exit code and its last error lines in the message)
     * @throws UncheckedIOException  if the process cannot be started or its output read
     */
    public Run run(Path model, List<Integer> batches, int reps, boolean skipPrefill, PrintWriter log) {
        Path out;
        try {
            out = Files.createTempFile("hf-bench", ".json");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary file for hf-bench.py's output: " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString(), model.toString(), "--out",
                out.toString(), "--reps", Integer.toString(reps), "--batches",
                batches.stream().map(String::valueOf).collect(Collectors.joining(","))));
        if (skipPrefill) {
            cmd.add("--skip-prefill");
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            List<String> tail = new ArrayList<>();
            try (var reader = p.inputReader(StandardCharsets.UTF_8)) {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (line.length() < 400) { // the final JSON object is long; it is read from --out
                        log.println("  hf: " + line);
                        log.flush();
                    }
                    tail.add(line);
                    if (tail.size() > 8) {
                        tail.remove(0);
                    }
                }
            }
            int code = p.waitFor();
            if (code != 0) {
                throw new IllegalStateException("hf-bench.py exited with " + code + ": "
                        + String.join(" | ", tail).replaceAll("\\s+", " "));
            }
            JsonNode json = new ObjectMapper().readTree(out.toFile());
            return new Run(PerfBaseline.fromHfBench("HF measured in this run", json), json);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run '" + String.join(" ", cmd) + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hf-bench.py ran", e);
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }

    /**
     * One HF run.
     *
     * @param figures its figures under the baseline keys
     * @param raw     the script's JSON object (torch and transformers versions, load averages, raw times)
     */
    public record Run(PerfBaseline figures, JsonNode raw) {}
}
