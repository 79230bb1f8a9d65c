package dev.steeropt.studies.pipeline;

import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.studies.analysis.ModelShape;
import dev.steeropt.studies.analysis.directions.DirectionAnalysis;
import dev.steeropt.studies.analysis.directions.DirectionSet;
import dev.steeropt.studies.analysis.reads.ReadMode;
import dev.steeropt.studies.analysis.reads.ResidualReads;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.spec.VectorSourceKind;
import dev.steeropt.studies.spec.VectorSourceSpec;
import dev.steeropt.studies.vectors.CachedActivations;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Turns a study's {@link VectorSourceSpec} into its {@link LayerVectors}. {@link #open} checks the source against the
 * model before the study is touched (so a refused source leaves no study behind): model B's shape
 * ({@link ModelShape}) for {@code cross_model}, the file, its shape and its model fingerprint for a directory. Then
 * {@link #vectors} builds them: {@code contrast} through the given CAA builder, {@code cross_model} through
 * {@link DirectionAnalysis#crossModel} (A's minus B's mean residual at the last prompt token over the train prompts,
 * the computation of {@code analyze directions --versus}; both models' reads through the activation cache), a directory by reading its directions. Every vector
 * records its layer's mean residual norm, the unit of α, so CAA and DAC take any of them: DAC steers along the unit
 * direction of the vector, whatever its source. Closing frees model B.
 */
final class VectorSource implements AutoCloseable {
    /** Where the cross-model direction is read: the default of {@code analyze directions}. */
    static final ReadMode CROSS_MODEL_READ = ReadMode.LAST_PROMPT_TOKEN;

    private final VectorSourceSpec spec;
    private final LoadedModel modelB;
    private final Tokenizer tokenizerB;
    private final DirectionSet directory;

    private VectorSource(VectorSourceSpec spec, LoadedModel modelB, Tokenizer tokenizerB, DirectionSet directory) {
        this.spec = spec;
        this.modelB = modelB;
        this.tokenizerB = tokenizerB;
        this.directory = directory;
    }

    /**
     * Opens and checks a source for model A.
     *
     * @param name        model A as the study names it, for messages
     * @param fingerprint model A's content fingerprint
     * @param layers      the searched layers, each of which needs a vector
     * @throws UserFacingException (usage) for a model B of another shape, or a directions file that is missing,
     *                             malformed, of another shape, or computed for another model
     */
    static VectorSource open(VectorSourceSpec spec, LoadedModel a, Tokenizer tokenizerA, String name,
            String fingerprint, List<Integer> layers) {
        return switch (spec.kind()) {
            case CONTRAST -> new VectorSource(spec, null, null, null);
            case CROSS_MODEL -> openCrossModel(spec, a, tokenizerA, name, fingerprint);
            case DIRECTORY -> new VectorSource(spec, null, null, checkedDirectory(Path.of(spec.source()), a, name,
                    fingerprint, layers));
        };
    }

    private static VectorSource openCrossModel(VectorSourceSpec spec, LoadedModel a, Tokenizer tokenizerA, String name,
            String fingerprint) {
        if (spec.sourceSha256().equals(fingerprint)) {
            throw UserFacingException.usage("--versus " + spec.source() + " is the model being optimized (same"
                    + " fingerprint " + shortHash(fingerprint) + ")", "A minus A is a zero direction at every layer",
                    "Pass another model of the same shape as --versus.");
        }
        LoadedModel b = LoadedModel.load(Path.of(spec.source()));
        Tokenizer tb = null;
        try {
            tb = Tokenizer.load(Path.of(spec.source()));
            ModelShape.of(name, a, tokenizerA).requireSame(ModelShape.of(spec.source(), b, tb),
                    "--vector-source cross-model (A's minus B's residual at each layer)");
            return new VectorSource(spec, b, tb, null);
        } catch (RuntimeException e) {
            if (tb != null) {
                tb.close();
            }
            b.close();
            throw e;
        }
    }

    /** The directions of {@code dir}, refused unless they fit model A: width, layers and model fingerprint. */
    static DirectionSet checkedDirectory(Path dir, LoadedModel a, String name, String fingerprint,
            List<Integer> layers) {
        DirectionSet set = DirectionSet.read(dir);
        int width = a.config().hiddenSize();
        int depth = a.config().numLayers();
        for (Map.Entry<Integer, float[]> e : set.directions().entrySet()) {
            if (e.getKey() >= depth || e.getValue().length != width) {
                throw UserFacingException.usage("The directions in " + dir + " do not fit model " + name,
                        "its layer " + e.getKey() + " direction has width " + e.getValue().length + ", the model has "
                                + depth + " layers of width " + width, "Pass a directory that 'steeropt analyze"
                                + " directions --model " + name + "' wrote.");
            }
        }
        List<Integer> missing = layers.stream().filter(l -> !set.directions().containsKey(l)).toList();
        if (!missing.isEmpty()) {
            throw UserFacingException.usage("The directions in " + dir + " have no layer " + missing, "they hold"
                    + " layers " + set.layers() + " and the search space spans layers " + layers, "Pass --layers"
                    + " within them, or write the directions with 'steeropt analyze directions --layers all'.");
        }
        String of = set.metadata().get(DirectionSet.MODEL_A);
        if (!fingerprint.equals(of)) {
            throw UserFacingException.usage("The directions in " + dir + " were computed for another model ("
                    + DirectionSet.MODEL_A + " " + (of == null ? "absent" : shortHash(of)) + ")", "this study"
                    + " optimizes " + name + " (fingerprint " + shortHash(fingerprint) + "), and a direction of one"
                    + " model's residual stream means nothing in another's", "Run 'steeropt analyze directions"
                    + " --model " + name + "' and pass its --out directory.");
        }
        return set;
    }

    /**
     * The vectors of {@code layers}.
     *
     * @param a            model A
     * @param fingerprint  model A's content fingerprint
     * @param trainPrompts the train split's prompts, encoded (read by {@code cross_model})
     * @param splitHash    the train split's ids hash (recorded with {@code cross_model} vectors)
     * @param variantHash  the prompt variant's hash (with the models, the split and the token ids, the cache key of the
     *                     {@code cross_model} reads)
     * @param cache        where the {@code cross_model} reads of both models are cached, so a rerun or another worker
     *                     sharing the cache reads none again
     * @param contrast     builds the CAA vectors of the study's contrast pairs
     */
    LayerVectors vectors(LoadedModel a, String fingerprint, List<Integer> layers, List<int[]> trainPrompts,
            String splitHash, String variantHash, int padId, ActivationStore cache, Supplier<LayerVectors> contrast) {
        if (spec.kind() == VectorSourceKind.CONTRAST) {
            return contrast.get();
        }
        DirectionSet set;
        if (spec.kind() == VectorSourceKind.CROSS_MODEL) {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put(DirectionSet.KIND, DirectionAnalysis.CROSS);
            meta.put(DirectionSet.MODEL_A, fingerprint);
            meta.put(DirectionSet.MODEL_B, spec.sourceSha256());
            meta.put(DirectionSet.SPLIT_HASH, splitHash);
            meta.put(DirectionSet.READ, CROSS_MODEL_READ.wireName());
            meta.put(DirectionSet.CONTRAST, DirectionAnalysis.CROSS);
            meta.put("n_prompts", Integer.toString(trainPrompts.size()));
            set = DirectionAnalysis.crossModel(read(cache, fingerprint, a, trainPrompts, splitHash, variantHash, layers,
                    padId), read(cache, spec.sourceSha256(), modelB, trainPrompts, splitHash, variantHash, layers, padId),
                    layers, meta);
        } else {
            set = directory;
        }
        Map<Integer, SteeringVector> out = new TreeMap<>();
        for (int l : layers) {
            out.put(l, set.vector(l));
        }
        return new LayerVectors(out);
    }

    private static Map<Integer, float[][]> read(ActivationStore cache, String modelFingerprint, LoadedModel m,
            List<int[]> prompts, String splitHash, String variantHash, List<Integer> layers, int padId) {
        CachedActivations.Scope scope = new CachedActivations.Scope(modelFingerprint, "train/cross_model/prompts",
                splitHash, variantHash, "pad=left");
        return ResidualReads.cached(cache, scope, m, prompts, null, CROSS_MODEL_READ, layers, padId);
    }

    /** The vectors as a direction set (the {@code steering_vectors.safetensors} artifact; NaN for an unknown norm). */
    static DirectionSet asDirectionSet(LayerVectors vectors, VectorSourceSpec spec, String fingerprint) {
        Map<Integer, float[]> dirs = new TreeMap<>();
        Map<Integer, Double> norms = new TreeMap<>();
        vectors.byLayer().forEach((l, v) -> {
            dirs.put(l, v.values());
            norms.put(l, v.meanResidualNorm().orElse(Double.NaN));
        });
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(DirectionSet.KIND, spec.kind().wireName());
        meta.put(DirectionSet.MODEL_A, fingerprint);
        meta.put("vector_source", spec.label());
        if (spec.sourceSha256() != null) {
            meta.put("source_sha256", spec.sourceSha256());
        }
        return new DirectionSet(dirs, norms, meta);
    }

    private static String shortHash(String h) {
        return h.length() > 12 ? h.substring(0, 12) : h;
    }

    @Override
    public void close() {
        try {
            if (tokenizerB != null) {
                tokenizerB.close();
            }
        } finally {
            if (modelB != null) {
                modelB.close();
            }
        }
    }
}
