package dev.steeropt.studies.cli;

import dev.steeropt.core.model.init.ModelInitializer;
import dev.steeropt.core.model.init.ModelPreset;
import dev.steeropt.studies.errors.UserFacingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt init-model --like PRESET|CONFIG.json --out DIR [--seed S]}: writes a randomly
 * initialised checkpoint of a real shape in Hugging Face's layout (for benchmarks and tests).
 */
@Command(name = "init-model", mixinStandardHelpOptions = true,
        description = {"Write a randomly initialised model (HF layout: config.json, model.safetensors F32,"
                + " generation_config.json, tokenizer.json, tokenizer_config.json) of a known shape.",
            "Weights are N(0, initializer_range), norms 1, biases 0; the same seed gives the same files."})
public final class InitModelCommand implements Callable<Integer> {

    @Mixin
    VerbosityMixin verbosity;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--like", required = true, paramLabel = "SHAPE",
            description = "smollm2-135m, qwen2.5-0.5b, qwen3-0.6b, gemma-2-2b, phi-3-mini, olmo-2-1b, pythia-160m, or the"
                    + " path of an HF config.json (model_type llama, qwen2, qwen3, gemma2, phi3, olmo2 or gpt_neox; for"
                    + " the last five, keys it omits take the published preset's values).")
    String like;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created).")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Weights seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Overwrite model files already in --out.")
    boolean force;

    @Override
    public Integer call() {
        ModelInitializer.Plan plan;
        try {
            java.util.Optional<ModelPreset> preset = ModelPreset.find(like);
            if (preset.isEmpty() && !like.endsWith(".json") && !Files.exists(Path.of(like))) {
                throw UserFacingException.usage("Unknown --like '" + like + "'",
                        "it is neither a preset nor an existing config.json",
                        "Use one of " + String.join(", ", ModelPreset.names()) + ", or pass the path of a config.json.");
            }
            plan = preset.isPresent() ? ModelInitializer.preset(preset.get()) : ModelInitializer.fromConfig(Path.of(like));
        } catch (IllegalArgumentException e) { // library messages already say what, why and how to fix
            throw UserFacingException.usage(e.getMessage(), null, null);
        }
        if (!force && Files.isDirectory(out) && hasModelFiles(out)) {
            throw UserFacingException.usage("Refusing to overwrite '" + out + "'",
                    "it already holds config.json or model.safetensors",
                    "Pass --force, or choose another --out.");
        }
        long t0 = System.nanoTime();
        ModelInitializer.Result r;
        try {
            r = plan.write(out, seed);
        } catch (UncheckedIOException e) {
            throw UserFacingException.runtime("Cannot write the model to '" + out + "'", e.getCause().getMessage(),
                    "Check that the directory is writable and the disk has " + (plan.parameterCount() * 4
                            >> 20) + " MB free.", e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "wrote %s%n", r.directory().toAbsolutePath());
        w.printf(Locale.ROOT, "  shape       %s%n", r.shape());
        w.printf(Locale.ROOT, "  parameters  %,d (model.safetensors %,d bytes, F32)%n", r.parameters(),
                r.safetensorBytes());
        w.printf(Locale.ROOT, "  seed        %d%n", r.seed());
        w.printf(Locale.ROOT, "  time        %.1f s%n", seconds);
        return 0;
    }

    private static boolean hasModelFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> {
                String n = p.getFileName().toString();
                return n.equals("config.json") || n.equals("model.safetensors");
            });
        } catch (IOException e) {
            return false;
        }
    }
}
