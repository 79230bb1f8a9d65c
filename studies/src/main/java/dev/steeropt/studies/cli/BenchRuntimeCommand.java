package dev.steeropt.studies.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.steeropt.core.bench.GenerateFigures;
import dev.steeropt.core.bench.HfBench;
import dev.steeropt.core.bench.MemoryCheck;
import dev.steeropt.core.bench.PerfBaseline;
import dev.steeropt.core.bench.RuntimeBenchmark;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.artifacts.AtomicFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt bench-runtime --model MODEL [--out FILE.json] [--hf-python PYTHON]}: the runtime benchmark of
 * {@code shared/baselines/README.md}, printed next to the HF transformers figures of {@code perf-baseline.json}, or,
 * with {@code --hf-python}, next to HF measured on the same model in the same run ({@code shared/tools/hf-bench.py});
 * {@code --memory-check} instead runs many short generate calls and exits 1 if arrays outlive a call or RSS grows past
 * {@code --rss-limit-mb} over the last nine tenths of them.
 */
@Command(name = "bench-runtime", mixinStandardHelpOptions = true,
        description = {"Time generation (plain and steered), decode-only rate and prefill with hidden states, following"
                + " shared/baselines/README.md, and compare with the HF figures of perf-baseline.json.",
            "Make a model of a baseline shape with: steeropt init-model --like smollm2-135m --out DIR"})
public final class BenchRuntimeCommand implements Callable<Integer> {

    @Mixin
    VerbosityMixin verbosity;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = ModelReference.LABEL,
            description = ModelReference.HELP + ".")
    ModelReference modelRef;

    @Option(names = "--out", paramLabel = "FILE.json", description = "Also write the figures as JSON.")
    Path out;

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "perf-baseline.json (default: ../shared/baselines/perf-baseline.json beside the checkout).")
    Path baseline;

    @Option(names = "--hf-python", paramLabel = "PYTHON",
            description = "Also run ../shared/tools/hf-bench.py with this Python (torch + transformers, e.g."
                    + " .venv-hf/bin/python) on the same model before timing ours, and compare with those figures"
                    + " instead of perf-baseline.json's.")
    Path hfPython;

    @Option(names = "--hf-bench", paramLabel = "SCRIPT",
            description = "hf-bench.py (default: ../shared/tools/hf-bench.py beside the checkout).")
    Path hfBench;

    @Option(names = "--batches", split = ",", defaultValue = "1,8,32",
            description = "Generate batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--reps", defaultValue = "3", description = "Repetitions per measurement (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--skip-prefill", description = "Skip the 32x160 prefill measurement.")
    boolean skipPrefill;

    @Option(names = "--memory-check", description = "Instead of timing, make --calls short generate calls; exit 1 if"
            + " arrays stay alive in any manager of the model after a call, or if RSS grows by more than --rss-limit-mb"
            + " over the last 9/10 of the calls.")
    boolean memoryCheck;

    @Option(names = "--calls", defaultValue = "1000", description = "Calls of --memory-check (default: ${DEFAULT-VALUE}).")
    int calls;

    @Option(names = "--rss-limit-mb", paramLabel = "MB", defaultValue = "32",
            description = "RSS growth --memory-check allows over the last 9/10 of the calls (default: ${DEFAULT-VALUE}).")
    double rssLimitMb;

    @Override
    public Integer call() throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (memoryCheck && (calls < 10 || !(rssLimitMb >= 0))) {
            throw UserFacingException.usage("--memory-check needs --calls >= 10 and --rss-limit-mb >= 0", "got --calls "
                    + calls + " and --rss-limit-mb " + rssLimitMb, "Pass e.g. --calls 1000 --rss-limit-mb 32.");
        }
        Path model = modelRef.resolve();
        Optional<HfBench.Run> hf = Optional.empty();
        if (hfPython != null && !memoryCheck) {
            hf = Optional.of(runHf(model, err));
        }
        try (LoadedModel m = LoadedModel.load(model)) {
            RuntimeBenchmark bench = new RuntimeBenchmark(m, err);
            long params = RuntimeBenchmark.storedParameters(model);
            if (memoryCheck) {
                return memoryCheck(w, bench);
            }
            Optional<PerfBaseline> base = hf.isPresent() ? hf.map(HfBench.Run::figures)
                    : PerfBaseline.forParameterCount(baselinePath(), params);
            err.printf(Locale.ROOT, "model %s: %,d parameters; baseline: %s%n", model, params,
                    base.map(PerfBaseline::shapeName).orElse("none with this parameter count"));
            double loadBefore = ProcessLoad.now();
            RuntimeBenchmark.Report r = bench.run(new RuntimeBenchmark.Settings(batches, reps,
                    skipPrefill ? 0 : 32));
            double loadAfter = ProcessLoad.now();
            print(w, r, base);
            w.printf(Locale.ROOT, "load average (1 min): steeropt %.2f at start, %.2f at end", loadBefore, loadAfter);
            hf.ifPresent(h -> w.printf(Locale.ROOT, "; HF %.2f at start, %.2f at end (torch %s, transformers %s, %d"
                    + " threads)", h.raw().path("load_at_start").asDouble(), h.raw().path("load_at_end").asDouble(),
                    h.raw().path("torch").asText(), h.raw().path("transformers").asText(),
                    h.raw().path("threads").asInt()));
            w.println();
            if (out != null) {
                writeJson(model, r, params, base);
                err.println("wrote " + out);
            }
        }
        return 0;
    }

    private HfBench.Run runHf(Path model, PrintWriter err) {
        Path script = hfBench != null ? hfBench
                : Path.of(System.getProperty("steeropt.home", ".")).resolve("../shared/tools/hf-bench.py").normalize();
        if (!java.nio.file.Files.isRegularFile(script)) {
            throw UserFacingException.usage("Cannot find hf-bench.py at '" + script + "'", "--hf-python runs that script",
                    "Pass --hf-bench with its path (shared/tools/hf-bench.py).");
        }
        if (!java.nio.file.Files.isExecutable(hfPython)) {
            throw UserFacingException.usage("--hf-python '" + hfPython + "' is not an executable", "it must be a Python"
                    + " with torch and transformers", "Run .ci/run once (it makes .venv-hf), then pass .venv-hf/bin/python.");
        }
        err.printf(Locale.ROOT, "running HF transformers on %s first (%s)%n", model, script);
        err.flush();
        try {
            return new HfBench(hfPython, script).run(model, batches, reps, skipPrefill, err);
        } catch (IllegalStateException e) {
            throw UserFacingException.runtime("HF side of the benchmark failed", e.getMessage(),
                    "Check that --hf-python has torch and transformers (python -c 'import torch, transformers').", e);
        }
    }

    private int memoryCheck(PrintWriter w, RuntimeBenchmark bench) {
        MemoryCheck.Verdict v = bench.memoryCheck(calls, rssLimitMb);
        MemoryCheck.Sample first = v.first();
        MemoryCheck.Sample from = v.windowStart();
        MemoryCheck.Sample last = v.last();
        w.printf(Locale.ROOT, "memory check: %d generate calls (batch 2, 16-token prompts, 8 new tokens, every other"
                + " call steered)%n", last.calls());
        w.printf(Locale.ROOT, "%-16s %12s %12s %12s%n", "", "after call 1", "call " + from.calls(), "call " + last.calls());
        w.printf(Locale.ROOT, "%-16s %12.1f %12.1f %12.1f%n", "RSS MB", first.rssMb(), from.rssMb(), last.rssMb());
        w.printf(Locale.ROOT, "%-16s %12d %12d %12d%n", "live arrays", first.liveArrays(), from.liveArrays(),
                last.liveArrays());
        w.printf(Locale.ROOT, "%-16s %12d %12d %12d%n", "open managers", first.openManagers(), from.openManagers(),
                last.openManagers());
        w.println(v.arraysStable() ? "live arrays unchanged: every manager of the model frees what a call made"
                : "live arrays GREW by " + v.arrayGrowth() + ": arrays outlive the call that made them");
        if (Double.isNaN(v.rssGrowthMb())) {
            w.println("RSS not measured (no /proc/self/status): the check cannot pass");
        } else {
            w.printf(Locale.ROOT, "RSS growth over calls %d..%d: %.1f MB (limit %.1f MB): %s%n", from.calls(), last.calls(),
                    v.rssGrowthMb(), v.rssLimitMb(), v.rssWithinLimit() ? "within" : "OVER the limit");
        }
        w.println(v.passed() ? "memory check passed" : "memory check FAILED");
        return v.passed() ? 0 : 1;
    }

    private Path baselinePath() {
        if (baseline != null) {
            return baseline;
        }
        String home = System.getProperty("steeropt.home", ".");
        return Path.of(home).resolve("../shared/baselines/perf-baseline.json").normalize();
    }

    private static void print(PrintWriter w, RuntimeBenchmark.Report r, Optional<PerfBaseline> base) {
        w.printf(Locale.ROOT, "%-34s %12s %12s %8s%n", "metric", "steeropt", "HF", "ratio");
        for (GenerateFigures f : r.generate().values()) {
            int b = f.batch();
            row(w, "generate b" + b + " tok/s (incl. prefill)", f.tokS(), base.map(x -> x.generateTokS(b)));
            row(w, "decode-only b" + b + " tok/s", f.decodeOnlyTokS(), base.map(x -> x.decodeOnlyTokS(b)));
            row(w, "steered/plain b" + b, f.steeredOverPlain(), base.map(x -> x.steeredOverPlain(b)));
        }
        if (!Double.isNaN(r.prefillKeep1())) {
            row(w, "prefill 32x160 +hidden keep1 tok/s", r.prefillKeep1(), base.map(PerfBaseline::prefillKeep1TokS));
            row(w, "prefill 32x160 +hidden full tok/s", r.prefillFull(), base.map(PerfBaseline::prefillFullTokS));
        }
        row(w, "peak RSS MB (generate)", r.peakRssGenerateMb(), base.map(PerfBaseline::peakRssGenerateMb));
        row(w, "peak RSS MB (all)", r.peakRssMb(), base.map(PerfBaseline::peakRssTotalMb));
        if (base.isEmpty()) {
            w.println("(no HF baseline for this parameter count: pass --hf-python to measure HF on this model in the same"
                    + " run, or make the model with 'steeropt init-model --like smollm2-135m' or '--like qwen2.5-0.5b')");
        }
    }

    /** The 1-minute load average (NaN where /proc/loadavg is absent). */
    private static final class ProcessLoad {
        static double now() {
            try {
                return Double.parseDouble(java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }
    }

    private static void row(PrintWriter w, String name, double ours, Optional<OptionalDouble> hf) {
        OptionalDouble h = hf.orElse(OptionalDouble.empty());
        if (h.isPresent()) {
            w.printf(Locale.ROOT, "%-34s %12.2f %12.2f %8.2f%n", name, ours, h.getAsDouble(), ours / h.getAsDouble());
        } else {
            w.printf(Locale.ROOT, "%-34s %12.2f %12s %8s%n", name, ours, "-", "-");
        }
    }

    private void writeJson(Path model, RuntimeBenchmark.Report r, long params, Optional<PerfBaseline> base)
            throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> gen = new LinkedHashMap<>();
        for (GenerateFigures f : r.generate().values()) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("tok_s", f.tokS());
            g.put("decode_only_tok_s", f.decodeOnlyTokS());
            g.put("steered_over_plain", f.steeredOverPlain());
            g.put("steered_tok_s", f.steeredTokS());
            g.put("steer_changed_tokens_frac", f.steerChangedTokens());
            g.put("plain_s", f.plainSeconds());
            g.put("steered_s", f.steeredSeconds());
            g.put("gen1_s", f.oneTokenSeconds());
            gen.put(Integer.toString(f.batch()), g);
        }
        root.put("generate", gen);
        root.put("prefill_keep1_tok_s", Double.isNaN(r.prefillKeep1()) ? null : r.prefillKeep1());
        root.put("prefill_full_tok_s", Double.isNaN(r.prefillFull()) ? null : r.prefillFull());
        root.put("peak_rss_mb", r.peakRssMb());
        root.put("peak_rss_generate_mb", r.peakRssGenerateMb());
        root.put("model", model.toString());
        root.put("params", params);
        root.put("baseline_shape", base.map(PerfBaseline::shapeName).orElse(null));
        AtomicFile.writeString(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
    }
}
