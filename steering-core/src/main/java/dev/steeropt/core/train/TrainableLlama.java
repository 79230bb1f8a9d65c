package dev.steeropt.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.StepPositions;
import dev.steeropt.core.model.config.RopeConfig;
import dev.steeropt.core.model.io.SafetensorsWriter;
import dev.steeropt.core.model.layers.Attention;
import dev.steeropt.core.model.layers.DecoderBlock;
import dev.steeropt.core.model.layers.ForwardContext;
import dev.steeropt.core.model.layers.GatedMlp;
import dev.steeropt.core.model.layers.Linear;
import dev.steeropt.core.model.layers.RmsNorm;
import dev.steeropt.core.model.layers.Rope;
import dev.steeropt.core.model.layers.Transformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A Llama-architecture model whose weights are NDArrays requiring gradients, run through the runtime's own
 * {@link Transformer} and layers (the same forward code {@link dev.steeropt.core.runtime.LoadedModel} uses), in the
 * runtime's fused layout: q/k/v as one {@code [d_model, 3·d_model]} projection, gate/up as one
 * {@code [d_model, 2·intermediate]}, every Linear stored {@code [in, out]}. {@link #save} splits and transposes back to
 * Hugging Face's names and {@code [out, in]} shapes.
 *
 * <p>Memory: the weights (and the RoPE tables) live in a manager owned by this object and freed by {@link #close};
 * {@link #loss} creates everything else in the caller's step manager.
 */
public final class TrainableLlama implements AutoCloseable {
    /** RMSNorm epsilon written to the config and used in training. */
    public static final double RMS_NORM_EPS = 1e-5;

    /** A named parameter; {@code decay} is false for norm weights. */
    record Param(String name, NDArray array, boolean decay) {}

    private final TrainConfig config;
    private final int vocabSize;
    private final NDManager manager;
    private final List<Param> params = new ArrayList<>();
    private final Transformer transformer;
    /** Starting values by parameter name (fused layout), or null for the random initialisation. */
    private final Map<String, float[]> initial;

    /**
     * Initialises the weights as transformers' LlamaPreTrainedModel does (Linear and embedding N(0, 0.02), norms 1),
     * except that the two projections writing into the residual stream use 0.02/sqrt(2·n_layers) (GPT-2's scaled
     * init), which makes small models train faster. Deterministic: one generator seeded by {@code config.seed()}, drawn
     * in parameter order.
     *
     * @param parent manager under which the weights' manager is created
     */
    public TrainableLlama(NDManager parent, TrainConfig config, int vocabSize) {
        this(parent, config, vocabSize, null);
    }

    /**
     * A model whose weights start from the Hugging Face Llama checkpoint in {@code dir} (as {@link #save} writes it, F16
     * or F32), to fine-tune it. The checkpoint's shapes must match {@code config} and {@code vocabSize};
     * {@code config.maxPositions()} may exceed the checkpoint's (RoPE has no learned position weights, so longer
     * sequences need only longer rotation tables).
     *
     * @throws IllegalArgumentException if a tensor is missing or has another size than {@code config} gives it
     */
    public static TrainableLlama fromPretrained(NDManager parent, TrainConfig config, int vocabSize, Path dir) {
        return new TrainableLlama(parent, config, vocabSize, PretrainedWeights.read(dir, config, vocabSize));
    }

    private TrainableLlama(NDManager parent, TrainConfig config, int vocabSize, Map<String, float[]> initial) {
        this.config = Objects.requireNonNull(config, "config");
        this.initial = initial;
        this.vocabSize = vocabSize;
        this.manager = parent.newSubManager();
        this.manager.setName("trainable-llama");
        SplittableRandom rnd = new SplittableRandom(config.seed());
        int d = config.hiddenSize();
        int inter = config.intermediateSize();
        double std = 0.02;
        double residStd = std / Math.sqrt(2.0 * config.numLayers());
        NDArray embed = param("embed", new Shape(vocabSize, d), rnd, std, true);
        List<DecoderBlock> blocks = new ArrayList<>();
        for (int i = 0; i < config.numLayers(); i++) {
            String p = "layers." + i + ".";
            NDArray attnNorm = ones(p + "attn_norm", d);
            NDArray qkv = param(p + "qkv", new Shape(d, 3L * d), rnd, std, true);
            NDArray o = param(p + "o", new Shape(d, d), rnd, residStd, true);
            NDArray mlpNorm = ones(p + "mlp_norm", d);
            NDArray gateUp = param(p + "gate_up", new Shape(d, 2L * inter), rnd, std, true);
            NDArray down = param(p + "down", new Shape(inter, d), rnd, residStd, true);
            Attention attn = new Attention(new Linear(qkv, null), new Linear(o, null), config.numHeads(), config.numHeads(),
                    config.headDim(), (float) (1.0 / Math.sqrt(config.headDim())), true);
            blocks.add(new DecoderBlock(i, new RmsNorm(attnNorm, (float) RMS_NORM_EPS), attn,
                    new RmsNorm(mlpNorm, (float) RMS_NORM_EPS), new GatedMlp(new Linear(gateUp, null), new Linear(down, null),
                            inter)));
        }
        NDArray finalNorm = ones("final_norm", d);
        NDArray unembed = param("unembed", new Shape(d, vocabSize), rnd, std, true);
        Rope rope = Rope.create(manager, RopeConfig.unscaled(config.ropeTheta()).inverseFrequencies(config.headDim()),
                config.maxPositions(), DataType.FLOAT32);
        this.transformer = new Transformer(embed, null, blocks, new RmsNorm(finalNorm, (float) RMS_NORM_EPS), unembed, rope);
    }

    private NDArray param(String name, Shape shape, SplittableRandom rnd, double std, boolean decay) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian(rnd) * std); // drawn even when a checkpoint replaces it: same stream either way
        }
        return register(name, manager.create(start(name, v), shape), decay);
    }

    private NDArray ones(String name, int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return register(name, manager.create(start(name, v), new Shape(n)), false);
    }

    /** The checkpoint's values for {@code name} if there is a checkpoint, else {@code fresh}. */
    private float[] start(String name, float[] fresh) {
        if (initial == null) {
            return fresh;
        }
        float[] v = initial.get(name);
        if (v == null || v.length != fresh.length) {
            throw new IllegalArgumentException("the checkpoint's " + name + " has " + (v == null ? "no values" : v.length
                    + " values") + " where the config needs " + fresh.length);
        }
        return v;
    }

    private NDArray register(String name, NDArray a, boolean decay) {
        a.setName(name);
        a.setRequiresGradient(true);
        params.add(new Param(name, a, decay));
        return a;
    }

    /** Box-Muller on a SplittableRandom (whose nextGaussian is not in Java 17's SplittableRandom API contract). */
    private static double gaussian(SplittableRandom rnd) {
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** The config. */
    public TrainConfig config() {
        return config;
    }

    /** Vocabulary size. */
    public int vocabSize() {
        return vocabSize;
    }

    /** Parameters in a fixed order. */
    List<Param> params() {
        return params;
    }

    /** Number of trainable scalars. */
    public long parameterCount() {
        long n = 0;
        for (Param p : params) {
            n += p.array().getShape().size();
        }
        return n;
    }

    /**
     * Mean cross-entropy of the next token over the positions whose target weight is 1, computed through the runtime's
     * forward with no cache and no hooks (call inside a {@code GradientCollector} to get gradients).
     *
     * @param step    step scope: every temporary is created here
     * @param ids     {@code [batch][pos]} input ids (right-padded)
     * @param targets {@code [batch][pos]} the id each position should predict
     * @param weights {@code [batch][pos]} 1 where the loss counts, 0 elsewhere
     * @return the scalar loss, in {@code step}
     */
    public NDArray loss(NDManager step, int[][] ids, int[][] targets, float[][] weights) {
        int b = ids.length;
        int t = ids[0].length;
        long[] idv = new long[b * t];
        long[] pos = new long[b * t];
        int[] posJ = new int[b * t];
        int[] ones = new int[b * t];
        float[] pick = new float[b * t * vocabSize];
        float count = 0;
        for (int r = 0; r < b; r++) {
            for (int c = 0; c < t; c++) {
                int k = r * t + c;
                idv[k] = ids[r][c];
                pos[k] = c;
                posJ[k] = c;
                ones[k] = 1;
                if (weights[r][c] != 0f) {
                    pick[k * vocabSize + targets[r][c]] = weights[r][c];
                    count += weights[r][c];
                }
            }
        }
        if (count == 0f) {
            throw new IllegalArgumentException("no position carries loss in this batch");
        }
        float[] mask = new float[t * t];
        for (int q = 0; q < t; q++) {
            for (int k = q + 1; k < t; k++) {
                mask[q * t + k] = -1e9f; // causal: position q sees keys 0..q
            }
        }
        int[] lengths = new int[b];
        java.util.Arrays.fill(lengths, t);
        int[] rows = new int[b];
        for (int r = 0; r < b; r++) {
            rows[r] = r;
        }
        StepPositions meta = new StepPositions(b, t, posJ, ones, lengths, rows, true);
        Map<Object, NDArray> constants = new HashMap<>();
        ForwardContext ctx = new ForwardContext(step, step, constants, HookSet.empty(), meta,
                step.create(mask, new Shape(1, 1, 1, t, t)), null, DataType.FLOAT32);
        ctx.setRowGroupTokens(0); // whole-batch ops: the arithmetic (and so the weights) of a run does not depend on it
        NDArray logits = transformer.forward(step.create(idv, new Shape(b, t)), step.create(pos, new Shape(b, t)), ctx,
                Transformer.Logits.ALL); // [batch, pos, d_vocab]
        NDArray logp = logits.logSoftmax(2);
        return logp.mul(step.create(pick, new Shape(b, t, vocabSize))).sum().neg().div(count);
    }

    /**
     * Writes {@code config.json}, {@code generation_config.json} and {@code model.safetensors} (Hugging Face names and
     * shapes) into {@code dir}.
     *
     * @param dtype F32 or F16
     * @return the safetensors file
     */
    public Path save(Path dir, SafetensorsWriter.DType dtype) {
        int d = config.hiddenSize();
        int inter = config.intermediateSize();
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt").metadata("producer", "steeropt train-demo-model");
        Map<String, NDArray> byName = new HashMap<>();
        for (Param p : params) {
            byName.put(p.name(), p.array());
        }
        w.addFloats("model.embed_tokens.weight", new long[] {vocabSize, d}, dtype, byName.get("embed").toFloatArray());
        w.addFloats("lm_head.weight", new long[] {vocabSize, d}, dtype, transposedColumns(byName.get("unembed"), 0, vocabSize));
        w.addFloats("model.norm.weight", new long[] {d}, dtype, byName.get("final_norm").toFloatArray());
        for (int i = 0; i < config.numLayers(); i++) {
            String p = "layers." + i + ".";
            String hf = "model.layers." + i + ".";
            NDArray qkv = byName.get(p + "qkv");
            w.addFloats(hf + "self_attn.q_proj.weight", new long[] {d, d}, dtype, transposedColumns(qkv, 0, d));
            w.addFloats(hf + "self_attn.k_proj.weight", new long[] {d, d}, dtype, transposedColumns(qkv, d, 2 * d));
            w.addFloats(hf + "self_attn.v_proj.weight", new long[] {d, d}, dtype, transposedColumns(qkv, 2 * d, 3 * d));
            w.addFloats(hf + "self_attn.o_proj.weight", new long[] {d, d}, dtype, transposedColumns(byName.get(p + "o"), 0, d));
            NDArray gateUp = byName.get(p + "gate_up");
            w.addFloats(hf + "mlp.gate_proj.weight", new long[] {inter, d}, dtype, transposedColumns(gateUp, 0, inter));
            w.addFloats(hf + "mlp.up_proj.weight", new long[] {inter, d}, dtype, transposedColumns(gateUp, inter, 2 * inter));
            w.addFloats(hf + "mlp.down_proj.weight", new long[] {d, inter}, dtype, transposedColumns(byName.get(p + "down"), 0, d));
            w.addFloats(hf + "input_layernorm.weight", new long[] {d}, dtype, byName.get(p + "attn_norm").toFloatArray());
            w.addFloats(hf + "post_attention_layernorm.weight", new long[] {d}, dtype,
                    byName.get(p + "mlp_norm").toFloatArray());
        }
        Path file = dir.resolve("model.safetensors");
        w.write(file);
        writeJson(dir.resolve("config.json"), hfConfig(dtype));
        Map<String, Object> gen = new TreeMap<>();
        gen.put("bos_token_id", CharVocabulary.BOS);
        gen.put("eos_token_id", CharVocabulary.EOS);
        gen.put("pad_token_id", CharVocabulary.PAD);
        gen.put("do_sample", false);
        writeJson(dir.resolve("generation_config.json"), gen);
        return file;
    }

    /** Columns {@code [c0, c1)} of a row-major {@code [in, out]} matrix as a row-major {@code [c1-c0, in]} matrix. */
    private static float[] transposedColumns(NDArray m, int c0, int c1) {
        int in = (int) m.getShape().get(0);
        int out = (int) m.getShape().get(1);
        float[] v = m.toFloatArray();
        float[] r = new float[(c1 - c0) * in];
        for (int i = 0; i < in; i++) {
            for (int c = c0; c < c1; c++) {
                r[(c - c0) * in + i] = v[i * out + c];
            }
        }
        return r;
    }

    private Map<String, Object> hfConfig(SafetensorsWriter.DType dtype) {
        Map<String, Object> c = new TreeMap<>();
        c.put("architectures", List.of("LlamaForCausalLM"));
        c.put("attention_bias", false);
        c.put("attention_dropout", 0.0);
        c.put("bos_token_id", CharVocabulary.BOS);
        c.put("eos_token_id", CharVocabulary.EOS);
        c.put("pad_token_id", CharVocabulary.PAD);
        c.put("head_dim", config.headDim());
        c.put("hidden_act", "silu");
        c.put("hidden_size", config.hiddenSize());
        c.put("initializer_range", 0.02);
        c.put("intermediate_size", config.intermediateSize());
        c.put("max_position_embeddings", config.maxPositions());
        c.put("mlp_bias", false);
        c.put("model_type", "llama");
        c.put("num_attention_heads", config.numHeads());
        c.put("num_hidden_layers", config.numLayers());
        c.put("num_key_value_heads", config.numHeads());
        c.put("pretraining_tp", 1);
        c.put("rms_norm_eps", RMS_NORM_EPS);
        c.put("rope_scaling", null);
        c.put("rope_theta", config.ropeTheta());
        c.put("tie_word_embeddings", false);
        c.put("torch_dtype", dtype == SafetensorsWriter.DType.F16 ? "float16" : "float32");
        c.put("use_cache", true);
        c.put("vocab_size", vocabSize);
        return c;
    }

    static void writeJson(Path file, Object value) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write '" + file + "': " + e.getMessage(), e);
        }
    }

    /** Frees the weights. */
    @Override
    public void close() {
        manager.close();
    }
}
