package dev.steeropt.studies.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.steeropt.core.train.TrainConfig;
import dev.steeropt.core.train.TrainingResult;
import dev.steeropt.eval.scoring.CompletionMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a demo model's {@value DemoModelTraining#MANIFEST}. */
final class ManifestWriter {
    private ManifestWriter() {}

    /**
     * What goes into a manifest.
     *
     * @param baseSha256  the base model's weights for a fine-tune, or null
     * @param trainingData every data set the weights saw (the base's first), each enough to rebuild its questions
     */
    record Contents(TrainConfig config, DemoData data, TrainingResult training, List<DemoEvaluation.Accuracy> perLevel,
            DemoEvaluation.Accuracy overall, List<DemoEvaluation.Modes> modes, int perDifficulty, String sha256,
            int threads, String baseSha256, List<Map<String, Object>> trainingData, String generatorFingerprint) {}

    static void write(Path file, Contents k) {
        TrainConfig c = k.config();
        TrainingResult tr = k.training();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format_version", DemoModelTraining.MANIFEST_VERSION);
        m.put("producer", DemoModelTraining.PRODUCER);
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
        if (k.baseSha256() != null) {
            m.put("fine_tuned_from_sha256", k.baseSha256());
        }
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
        opt.put("torch_threads", k.threads());
        m.put("training", opt);
        Map<String, Object> dataNode = new LinkedHashMap<>();
        dataNode.put("generator", "dev.steeropt.eval.synthetic.SyntheticGenerator");
        dataNode.put("generator_seed", k.data().seed());
        dataNode.put("generator_fingerprint", k.generatorFingerprint());
        dataNode.put("split", k.data().split());
        dataNode.put("difficulty_weights", k.data().weights());
        dataNode.put("hasty_share", k.data().hastyShare());
        dataNode.put("hasty_answer", "dev.steeropt.eval.synthetic.HastyShortcut: every question number summed");
        dataNode.put("prompt_format", "Question: {question}\\nAnswer: {solution}");
        dataNode.put("loss_on", "answer characters and </s>");
        m.put("data", dataNode);
        m.put("training_data", k.trainingData());
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
        m.put("validation", validation(k));
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("available_processors", Runtime.getRuntime().availableProcessors());
        host.put("load_average_at_end", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
        m.put("host", host);
        m.put("weights_file", "model.safetensors");
        m.put("weights_sha256", k.sha256());
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), m);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write '" + file + "': " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> validation(Contents k) {
        Map<String, Object> val = new LinkedHashMap<>();
        val.put("split", "validation_d{1..4} (questions seen in training excluded)");
        val.put("items_per_difficulty", k.perDifficulty());
        val.put("decoding", "greedy, until </s>, graded by Graders.gsm8k() strict");
        val.put("mode_rule", "dev.steeropt.eval.scoring.CompletionMode");
        Map<String, Object> levels = new LinkedHashMap<>();
        for (DemoEvaluation.Accuracy a : k.perLevel()) {
            levels.put(Integer.toString(a.difficulty()), Map.of("correct", a.correct(), "total", a.total(),
                    "accuracy", a.rate()));
        }
        val.put("by_difficulty", levels);
        DemoEvaluation.Accuracy overall = k.overall();
        val.put("overall", Map.of("correct", overall.correct(), "total", overall.total(),
                "accuracy", overall.total() == 0 ? 0.0 : overall.rate()));
        Map<String, Object> modes = new LinkedHashMap<>();
        for (DemoEvaluation.Modes md : k.modes()) {
            Map<String, Object> one = new LinkedHashMap<>();
            for (CompletionMode mode : CompletionMode.values()) {
                Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("count", md.counts().get(mode));
                cell.put("share", md.share(mode));
                cell.put("correct", md.correct().get(mode));
                one.put(mode.label(), cell);
            }
            modes.put(md.difficulty() == 0 ? "overall" : Integer.toString(md.difficulty()), one);
        }
        val.put("modes", modes);
        return val;
    }
}
