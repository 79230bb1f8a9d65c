package dev.steeropt.studies.analysis;

import dev.steeropt.cache.key.Fingerprints;
import dev.steeropt.core.runtime.EngineThreads;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.studies.cli.ModelReference;
import dev.steeropt.studies.demo.DemoModelTraining;
import java.nio.file.Path;

/**
 * One loaded model of an {@code analyze} run: its reference as given, folder, runtime, tokenizer, content fingerprint
 * and whether it is a demo-world model (which sets the generation defaults). Closing it frees the model's native
 * memory.
 *
 * @param reference   what {@code --model} (or {@code --versus}) named
 * @param dir         the resolved folder
 * @param model       the runtime model
 * @param tokenizer   its tokenizer
 * @param fingerprint {@link Fingerprints#model} of the folder
 * @param demo        trained by {@code train-demo-model}
 */
public record AnalysisModel(ModelReference reference, Path dir, LoadedModel model, Tokenizer tokenizer,
        String fingerprint, boolean demo) implements AutoCloseable {

    /** Resolves and loads a model (one PyTorch thread for a small one, as {@code optimize}). */
    public static AnalysisModel load(ModelReference reference) {
        Path dir = reference.resolve().toAbsolutePath().normalize();
        LoadedModel model = LoadedModel.load(dir);
        try {
            EngineThreads.configureFor(model.config());
            return new AnalysisModel(reference, dir, model, Tokenizer.load(dir), Fingerprints.model(dir),
                    DemoModelTraining.isDemoModel(dir));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Decoder blocks. */
    public int numLayers() {
        return model.config().numLayers();
    }

    /** Residual-stream width. */
    public int hiddenSize() {
        return model.config().hiddenSize();
    }

    /** The pad id: the tokenizer's, else its first EOS, else 0. */
    public int padId() {
        if (tokenizer.padId().isPresent()) {
            return tokenizer.padId().getAsInt();
        }
        int[] eos = tokenizer.eosIds();
        return eos.length > 0 ? eos[0] : 0;
    }

    /** Depth, width and vocabulary, for {@link ModelShape#requireSame}. */
    public ModelShape shape() {
        return ModelShape.of(name(), model, tokenizer);
    }

    /** The name printed in summaries: the reference as given. */
    public String name() {
        return reference.toString();
    }

    @Override
    public void close() {
        model.close();
    }
}
