package dev.steeropt.studies.demo;

import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.core.train.DemoTrainer;
import dev.steeropt.core.train.TrainConfig;
import dev.steeropt.core.train.TrainingResult;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.synthetic.SyntheticGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the demo model end to end: trains on {@link DemoData}, evaluates greedy accuracy per difficulty on held-out
 * validation problems (no question seen in training), and writes {@code training_manifest.json} beside the model.
 */
public final class DemoModelTraining {
    /** Manifest file name. */
    public static final String MANIFEST = "training_manifest.json";
    /** Manifest format version. */
    public static final int MANIFEST_VERSION = 1;
    /** The manifest's {@code producer}. */
    public static final String PRODUCER = "steeropt train-demo-model";
    /** Prompts per generate call of the validation pass (the batch's padding is part of what it measures). */
    public static final int VALIDATION_BATCH = 25;
    /** New tokens per validation item, before the model's positions cap them. */
    public static final int VALIDATION_MAX_NEW_TOKENS = 300;

    private DemoModelTraining() {}

    /** What the run produced; {@code modes} per difficulty, the overall counts (difficulty 0) last. */
    public record Report(TrainingResult training, List<DemoEvaluation.Accuracy> validation,
            DemoEvaluation.Accuracy validationOverall, List<DemoEvaluation.Modes> modes, String weightsSha256,
            long evalMillis) {}

    /**
     * Trains into {@code outDir} and writes the manifest.
     *
     * @param perDifficulty validation problems per difficulty (0 to skip validation)
     * @param threads       PyTorch threads, 0 for the engine's default
     */
    public static Report run(TrainConfig config, DemoData data, Path outDir, int perDifficulty, int threads,
            PrintWriter progress) {
        return run(config, data, outDir, perDifficulty, threads, progress, null);
    }

    /**
     * As {@link #run(TrainConfig, DemoData, Path, int, int, PrintWriter)}; with a {@code base} directory (a model this
     * command wrote), a fine-tune: the weights start from the base's, the manifest records the base's SHA-256 and its
     * training data beside this run's, and validation avoids the questions of both.
     */
    public static Report run(TrainConfig config, DemoData data, Path outDir, int perDifficulty, int threads,
            PrintWriter progress, Path base) {
        List<Map<String, Object>> lineage = new ArrayList<>();
        String baseSha = null;
        if (base != null) {
            JsonNode bm = demoManifest(base).orElseThrow(() -> new IllegalArgumentException("'" + base + "' holds no "
                    + MANIFEST + " written by " + PRODUCER + "; a fine-tune needs a base model this command trained"));
            baseSha = bm.path("weights_sha256").asText();
            for (JsonNode entry : trainingData(bm)) {
                lineage.add(new ObjectMapper().convertValue(entry, Map.class));
            }
        }
        TrainingResult tr = DemoTrainer.train(config, data::trainExample, outDir, progress, InstantSource.system(), threads,
                base);
        lineage.add(dataEntry(data, tr.examplesDrawn()));
        long t0 = System.nanoTime();
        List<DemoEvaluation.Accuracy> perLevel = new ArrayList<>();
        DemoEvaluation.Accuracy overall = new DemoEvaluation.Accuracy(0, 0, 0);
        List<DemoEvaluation.Modes> modes = new ArrayList<>();
        if (perDifficulty > 0) {
            Set<String> seen = new java.util.HashSet<>(data.trainQuestions(tr.examplesDrawn()));
            if (base != null) {
                seen.addAll(trainingQuestions(base));
            }
            List<DemoEvaluation.Outcome> outcomes = validate(outDir, validationProblems(data, perDifficulty, seen));
            perLevel = DemoEvaluation.byDifficulty(outcomes);
            overall = DemoEvaluation.overall(outcomes);
            modes = DemoEvaluation.modesByDifficulty(outcomes);
        }
        long evalMillis = (System.nanoTime() - t0) / 1_000_000;
        String sha = sha256(outDir.resolve("model.safetensors"));
        ManifestWriter.write(outDir.resolve(MANIFEST), new ManifestWriter.Contents(config, data, tr, perLevel, overall,
                modes, perDifficulty, sha, threads, baseSha, lineage, generatorFingerprint(data)));
        return new Report(tr, perLevel, overall, modes, sha, evalMillis);
    }

    /** {@code perDifficulty} held-out validation problems per difficulty, none of whose questions is in seen. */
    private static List<Problem> validationProblems(DemoData data, int perDifficulty, Set<String> seen) {
        List<Problem> problems = new ArrayList<>();
        for (int d = SyntheticGenerator.MIN_DIFFICULTY; d <= SyntheticGenerator.MAX_DIFFICULTY; d++) {
            problems.addAll(data.heldOut("validation", d, perDifficulty, seen));
        }
        return problems;
    }

    /**
     * The validation problems the figures of the {@value #MANIFEST} in {@code modelDir} were measured on, rebuilt from
     * it: its generator seed, its {@code items_per_difficulty}, every question its weights trained on excluded.
     *
     * @throws IllegalArgumentException if the directory holds no manifest of {@value #PRODUCER}
     */
    public static List<Problem> validationProblems(Path modelDir) {
        JsonNode m = demoManifest(modelDir).orElseThrow(() -> new IllegalArgumentException("'" + modelDir
                + "' holds no " + MANIFEST + " written by " + PRODUCER));
        // held-out problems depend on the generator seed only, not on the training mix
        DemoData data = new DemoData(m.path("data").path("generator_seed").asLong(), DemoData.DEFAULT_WEIGHTS);
        return validationProblems(data, m.path("validation").path("items_per_difficulty").asInt(),
                trainingQuestions(modelDir));
    }

    /** Greedy outcomes of the model in {@code dir} on {@code problems}, batched as the manifest's validation pass. */
    public static List<DemoEvaluation.Outcome> validate(Path dir, List<Problem> problems) {
        try (LoadedModel model = LoadedModel.load(dir); Tokenizer tok = Tokenizer.load(dir)) {
            return DemoEvaluation.run(model, tok, problems, VALIDATION_BATCH, VALIDATION_MAX_NEW_TOKENS);
        }
    }

    /** One {@code training_data} entry of the manifest: what {@link #trainingQuestions} needs to rebuild the questions. */
    private static Map<String, Object> dataEntry(DemoData data, long drawn) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("generator_seed", data.seed());
        e.put("split", data.split());
        e.put("difficulty_weights", data.weights());
        e.put("hasty_share", data.hastyShare());
        e.put("examples_drawn", drawn);
        return e;
    }

    /**
     * The manifest's {@code training_data} entries (this model's data and its base's); a manifest from before the demo
     * world (one model on the {@code train} split) gives one entry built from its {@code data} node.
     */
    private static List<JsonNode> trainingData(JsonNode m) {
        List<JsonNode> out = new ArrayList<>();
        if (m.has("training_data")) {
            m.get("training_data").forEach(out::add);
            return out;
        }
        if (!m.path("data").has("difficulty_weights")) {
            return out;
        }
        com.fasterxml.jackson.databind.node.ObjectNode e = new ObjectMapper().createObjectNode();
        e.put("generator_seed", m.path("data").path("generator_seed").asLong());
        e.put("split", DemoData.BASE_SPLIT);
        e.set("difficulty_weights", m.path("data").get("difficulty_weights"));
        e.put("hasty_share", 0.0);
        e.put("examples_drawn", m.has("examples_drawn") ? m.get("examples_drawn").asLong()
                : m.path("examples_seen").asLong() + m.path("examples_skipped_too_long").asLong());
        out.add(e);
        return out;
    }

    /** True if {@code modelDir} holds the {@value #MANIFEST} of a model trained by {@code train-demo-model}. */
    public static boolean isDemoModel(Path modelDir) {
        try {
            return demoManifest(modelDir).isPresent();
        } catch (UncheckedIOException e) {
            return false; // unreadable: treated as any other model
        }
    }

    /**
     * The normalised questions ({@link dev.steeropt.eval.synthetic.SyntheticDataset#key}) a model was trained on, from
     * the {@value #MANIFEST} that {@code train-demo-model} wrote beside it; empty when the directory has no such
     * manifest (any other model).
     *
     * @throws UncheckedIOException if the manifest exists but cannot be read
     */
    public static Set<String> trainingQuestions(Path modelDir) {
        Optional<JsonNode> manifest = demoManifest(modelDir);
        if (manifest.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new java.util.HashSet<>();
        for (JsonNode e : trainingData(manifest.get())) {
            double[] weights = new double[e.get("difficulty_weights").size()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = e.get("difficulty_weights").get(i).asDouble();
            }
            out.addAll(new DemoData(e.path("generator_seed").asLong(), weights, e.path("split").asText(),
                    e.path("hasty_share").asDouble()).trainQuestions(e.path("examples_drawn").asLong()));
        }
        return out;
    }

    /** The {@value #MANIFEST} in {@code modelDir} if {@value #PRODUCER} wrote it. */
    static Optional<JsonNode> demoManifest(Path modelDir) {
        Path file = modelDir.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode m = new ObjectMapper().readTree(file.toFile());
            return PRODUCER.equals(m.path("producer").asText()) ? Optional.of(m) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 of the first 100 training problems' text: changes whenever the generator's output changes. */
    static String generatorFingerprint(DemoData data) {
        MessageDigest md = sha();
        for (int i = 0; i < 100; i++) {
            Problem p = data.trainProblem(i);
            md.update((p.question() + "\n" + p.goldSolution() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Hex SHA-256 of a file. */
    public static String sha256(Path file) {
        MessageDigest md = sha();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read '" + file + "': " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
