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

    private DemoModelTraining() {}

    /** What the run produced. */
    public record Report(TrainingResult training, List<DemoEvaluation.Accuracy> validation,
            DemoEvaluation.Accuracy validationOverall, String weightsSha256, long evalMillis) {}

    /**
     * Trains into {@code outDir} and writes the manifest.
     *
     * @param perDifficulty validation problems per difficulty (0 to skip validation)
     * @param threads       PyTorch threads, 0 for the engine's default
     */
    public static Report run(TrainConfig config, DemoData data, Path outDir, int perDifficulty, int threads,
            PrintWriter progress) {
        TrainingResult tr = DemoTrainer.train(config, data::trainExample, outDir, progress, InstantSource.system(), threads);
        long t0 = System.nanoTime();
        List<DemoEvaluation.Accuracy> perLevel = new ArrayList<>();
        DemoEvaluation.Accuracy overall = new DemoEvaluation.Accuracy(0, 0, 0);
        if (perDifficulty > 0) {
            Set<String> seen = data.trainQuestions(tr.examplesDrawn());
            List<Problem> problems = new ArrayList<>();
            for (int d = SyntheticGenerator.MIN_DIFFICULTY; d <= SyntheticGenerator.MAX_DIFFICULTY; d++) {
                problems.addAll(data.heldOut("validation", d, perDifficulty, seen));
            }
            try (LoadedModel model = LoadedModel.load(outDir); Tokenizer tok = Tokenizer.load(outDir)) {
                List<DemoEvaluation.Outcome> outcomes = DemoEvaluation.run(model, tok, problems, 25, 300);
                perLevel = DemoEvaluation.byDifficulty(outcomes);
                overall = DemoEvaluation.overall(outcomes);
            }
        }
        long evalMillis = (System.nanoTime() - t0) / 1_000_000;
        String sha = sha256(outDir.resolve("model.safetensors"));
        writeManifest(outDir.resolve(MANIFEST), config, data, tr, perLevel, overall, perDifficulty, sha, threads);
        return new Report(tr, perLevel, overall, sha, evalMillis);
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
        if (manifest.isEmpty() || !manifest.get().path("data").has("difficulty_weights")) {
            return Set.of();
        }
        JsonNode m = manifest.get();
        JsonNode data = m.path("data");
        double[] weights = new double[data.get("difficulty_weights").size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = data.get("difficulty_weights").get(i).asDouble();
        }
        long drawn = m.has("examples_drawn") ? m.get("examples_drawn").asLong()
                : m.path("examples_seen").asLong() + m.path("examples_skipped_too_long").asLong();
        return new DemoData(data.path("generator_seed").asLong(), weights).trainQuestions(drawn);
    }

    /** The {@value #MANIFEST} in {@code modelDir} if {@value #PRODUCER} wrote it. */
    private static Optional<JsonNode> demoManifest(Path modelDir) {
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

    private static void writeManifest(Path file, TrainConfig c, DemoData data, TrainingResult tr,
            List<DemoEvaluation.Accuracy> perLevel, DemoEvaluation.Accuracy overall, int perDifficulty, String sha,
            int threads) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format_version", MANIFEST_VERSION);
        m.put("producer", PRODUCER);
        m.put("seed", c.seed());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("architecture", "LlamaForCausalLM");
        model.put("hidden_size", c.hiddenSize());
        model.put("num_hidden_layers", c.numLayers());
        model.put("num_attention_heads", c.numHeads());
        model.put("intermediate_size", c.intermediateSize());
        model.put("max_position_embeddings", c.maxPositions());
        model.put("parameters", tr.parameterCount());
        m.put("model", model);
        Map<String, Object> opt = new LinkedHashMap<>();
        opt.put("optimizer", "AdamW(beta1=0.9, beta2=0.95, eps=1e-8)");
        opt.put("batch_size", c.batchSize());
        opt.put("learning_rate", c.learningRate());
        opt.put("min_learning_rate", c.minLearningRate());
        opt.put("warmup_steps", c.warmupSteps());
        opt.put("schedule", "linear warm-up, cosine decay");
        opt.put("weight_decay", c.weightDecay());
        opt.put("grad_clip", c.gradClip());
        opt.put("max_minutes", c.maxMillis() / 60000.0);
        opt.put("torch_threads", threads);
        m.put("training", opt);
        Map<String, Object> dataNode = new LinkedHashMap<>();
        dataNode.put("generator", "dev.steeropt.eval.synthetic.SyntheticGenerator");
        dataNode.put("generator_seed", data.seed());
        dataNode.put("generator_fingerprint", generatorFingerprint(data));
        dataNode.put("difficulty_weights", data.weights());
        dataNode.put("prompt_format", "Question: {question}\\nAnswer: {solution}");
        dataNode.put("loss_on", "answer characters and </s>");
        m.put("data", dataNode);
        m.put("steps_planned", tr.stepsPlanned());
        m.put("steps", tr.stepsDone());
        m.put("stopped_by_time_budget", tr.stoppedByTime());
        m.put("examples_seen", tr.examplesSeen());
        m.put("examples_drawn", tr.examplesDrawn());
        m.put("examples_skipped_too_long", tr.examplesSkipped());
        m.put("updates_skipped_non_finite_gradient", tr.updatesSkipped());
        m.put("tokens_seen", tr.tokensSeen());
        m.put("loss_tokens", tr.lossTokens());
        m.put("first_loss", tr.firstLoss());
        m.put("final_loss", tr.finalLoss());
        List<Object> curve = new ArrayList<>();
        for (double[] p : tr.lossCurve()) {
            curve.add(List.of((int) p[0], Math.round(p[1] * 10000) / 10000.0));
        }
        m.put("loss_curve", curve);
        m.put("wall_time_seconds", tr.wallMillis() / 1000.0);
        Map<String, Object> val = new LinkedHashMap<>();
        val.put("split", "validation_d{1..4} (questions seen in training excluded)");
        val.put("items_per_difficulty", perDifficulty);
        val.put("decoding", "greedy, until </s>, graded by Graders.gsm8k() strict");
        Map<String, Object> levels = new LinkedHashMap<>();
        for (DemoEvaluation.Accuracy a : perLevel) {
            levels.put(Integer.toString(a.difficulty()), Map.of("correct", a.correct(), "total", a.total(),
                    "accuracy", a.rate()));
        }
        val.put("by_difficulty", levels);
        val.put("overall", Map.of("correct", overall.correct(), "total", overall.total(),
                "accuracy", overall.total() == 0 ? 0.0 : overall.rate()));
        m.put("validation", val);
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("available_processors", Runtime.getRuntime().availableProcessors());
        host.put("load_average_at_end", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
        m.put("host", host);
        m.put("weights_file", "model.safetensors");
        m.put("weights_sha256", sha);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), m);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write '" + file + "': " + e.getMessage(), e);
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
