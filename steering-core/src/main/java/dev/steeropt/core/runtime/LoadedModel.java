package dev.steeropt.core.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookRegistry;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.StepPositions;
import dev.steeropt.core.model.ModelLoadException;
import dev.steeropt.core.model.arch.ArchitectureAdapter;
import dev.steeropt.core.model.arch.ArchitectureRegistry;
import dev.steeropt.core.model.config.ConfigJson;
import dev.steeropt.core.model.config.ModelConfig;
import dev.steeropt.core.model.layers.ForwardContext;
import dev.steeropt.core.model.layers.OneDnn;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.model.weights.WeightLoader;
import dev.steeropt.core.model.weights.WeightStore;
import dev.steeropt.core.model.io.JsonProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model loaded for inference: owns the weights (in one NDManager, capped after load so that nothing can attach to
 * it later) and is the entry point for generation, full forward passes with activation capture, prefix reuse and the
 * step API.
 *
 * {@snippet :
 * try (LoadedModel model = LoadedModel.load(Path.of("models/smollm2-135m"))) {
 *     PromptBatch prompts = PromptBatch.leftPad(List.of(ids1, ids2), padId);
 *     ActivationAddition steer = ActivationAddition.of(12, vector, 4f, SteerPositions.FROM_LAST_PROMPT_TOKEN);
 *     GenerationResult r = model.generate(GenerationRequest.builder(prompts)
 *             .maxNewTokens(128).stopTokenIds(model.eosTokenIds()).hooks(steer.hooks()).build());
 * }
 * }
 *
 * <p>Memory: weights live in the model manager; each call opens a call manager (KV cache) closed before it returns,
 * and a step manager per forward step. Only plain Java leaves {@link #generate} and {@link #forward}; the step API's
 * memory is owned by a {@link DecodeCall} ({@link #openCall}), so no caller creates or passes an NDManager. Thread-safe for
 * concurrent calls (each has its own managers; per-request hooks do not interfere).
 */
public final class LoadedModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoadedModel.class);
    /** Floats per piece when full logits are copied out ({@link #forward} with {@code ALL}): 64 MB in float32. */
    private static final long LOGITS_CHUNK_FLOATS = 16L << 20;

    private final Path dir;
    private final ModelConfig config;
    private final Transformer transformer;
    private final NDManager manager;
    private final Device device;
    private final DataType dataType;
    private final HookRegistry hooks = new HookRegistry();
    private final ManagerLedger ledger = new ManagerLedger();
    private final List<HookPoint> hookPoints;
    private final Set<Integer> eosTokenIds;

    private LoadedModel(Path dir, ModelConfig config, Transformer transformer, NDManager manager, Device device, DataType dataType,
            Set<Integer> eosTokenIds) {
        this.dir = dir;
        this.config = config;
        this.transformer = transformer;
        this.manager = manager;
        this.device = device;
        this.dataType = dataType;
        this.eosTokenIds = Set.copyOf(eosTokenIds);
        this.hookPoints = HookPoint.all(config.numLayers(), transformer.learnedPositions(), !transformer.parallelResidual());
    }

    /** Loads a model folder on the CPU in float32. */
    public static LoadedModel load(Path dir) {
        return load(dir, LoadOptions.defaults());
    }

    /**
     * Loads a Hugging Face model folder ({@code config.json} + safetensors weights).
     *
     * @throws ModelLoadException for a missing folder or config, an unsupported architecture or setting, missing or
     *                            malformed weights, an unavailable device or dtype
     */
    public static LoadedModel load(Path dir, LoadOptions options) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        long t0 = System.nanoTime();
        if (options.dtype() == ComputeDtype.BFLOAT16) {
            throw new ModelLoadException("Cannot load model '" + dir + "' in bfloat16: the bundled PyTorch engine build aborts on"
                    + " BF16 arrays; use --dtype float32 (BF16 checkpoints are widened exactly) or float16");
        }
        ConfigJson json = ConfigJson.read(dir);
        ArchitectureAdapter adapter = ArchitectureRegistry.forConfig(json);
        ModelConfig config = adapter.parseConfig(json);
        Device device = options.device();
        if (device.isGpu() && Engine.getInstance().getGpuCount() <= device.getDeviceId()) {
            throw new ModelLoadException("Cannot load model '" + dir + "' on " + device + ": the PyTorch engine sees "
                    + Engine.getInstance().getGpuCount() + " GPU(s); use --device cpu, or install the CUDA natives of PyTorch");
        }
        DataType dt = options.dtype().dataType();
        Set<Integer> eos = readEos(dir, config);
        NDManager modelManager = NDManager.newBaseManager(device);
        modelManager.setName("model:" + dir.getFileName());
        Transformer transformer;
        Optional<OneDnn> kernels;
        try (WeightStore store = WeightStore.open(dir); NDManager load = NDManager.newBaseManager(device)) {
            kernels = OneDnn.forArrays(device, dt);
            transformer = adapter.build(config, new WeightLoader(store, load, dt, kernels.orElse(null)), load, dt);
            kernels.ifPresent(transformer::packForInference); // the unembedding (the layers are packed as loaded)
            Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (NDArray p : transformer.parameters()) {
                if (seen.add(p)) {
                    p.attach(modelManager);
                }
            }
        } catch (RuntimeException e) {
            modelManager.close();
            throw e;
        }
        modelManager.cap();
        LoadedModel m = new LoadedModel(dir, config, transformer, modelManager, device, dt, eos);
        LOG.info("Loaded {} ({}, {} layers, d_model {}, {} heads / {} kv) as {} on {}, products on {}, in {} ms", dir,
                config.modelType(), config.numLayers(), config.hiddenSize(), config.numHeads(), config.numKvHeads(), dt,
                device, kernels.isPresent() ? "oneDNN" : "PyTorch matmul", (System.nanoTime() - t0) / 1_000_000);
        return m;
    }

    private static Set<Integer> readEos(Path dir, ModelConfig config) {
        Path gen = dir.resolve("generation_config.json");
        Set<Integer> eos = new LinkedHashSet<>(config.eosTokenIds());
        if (Files.isRegularFile(gen)) {
            try {
                JsonNode n = new ObjectMapper().readTree(gen.toFile()).get("eos_token_id");
                if (n != null && !n.isNull()) {
                    eos.clear();
                    for (JsonNode id : n.isArray() ? n : List.of(n)) {
                        if (!id.canConvertToInt() || !id.isIntegralNumber() || id.asInt() < 0) {
                            throw new ModelLoadException("Cannot load model '" + dir + "': generation_config.json has"
                                    + " eos_token_id " + n + "; use a token id or a list of token ids");
                        }
                        eos.add(id.asInt());
                    }
                }
            } catch (JsonProcessingException e) {
                throw new ModelLoadException("Cannot load model '" + dir + "': generation_config.json is not valid JSON ("
                        + JsonProblem.describe(e) + "); restore it from the model's original download", e);
            } catch (IOException e) {
                throw new ModelLoadException("Cannot load model '" + dir + "': generation_config.json cannot be read ("
                        + e.getMessage() + ")", e);
            }
        }
        return eos;
    }

    /**
     * Refuses a batch holding an id the embedding has no row for (pads included), before it reaches the engine.
     *
     * @throws IllegalArgumentException naming the id, its row and position, and the vocabulary size
     */
    void requireKnownTokenIds(PromptBatch batch) {
        long vocab = transformer.vocabSize();
        for (int r = 0; r < batch.batchSize(); r++) {
            for (int c = 0; c < batch.width(); c++) {
                int id = batch.id(r, c);
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException("token id " + id + " (row " + r + ", position " + c + ") is outside"
                            + " the vocabulary of " + dir.getFileName() + ", ids 0.." + (vocab - 1));
                }
            }
        }
    }

    /** The model folder. */
    public Path dir() {
        return dir;
    }

    /** Resolved config. */
    public ModelConfig config() {
        return config;
    }

    /** The assembled layers (for training code that runs the same forward with autograd). */
    public Transformer transformer() {
        return transformer;
    }

    /** Device of weights and activations. */
    public Device device() {
        return device;
    }

    /** Compute dtype. */
    public DataType dataType() {
        return dataType;
    }

    /** EOS ids from generation_config.json (or config.json when absent). */
    public Set<Integer> eosTokenIds() {
        return eosTokenIds;
    }

    /** Every hook point of this model, in firing order (the TransformerLens list). */
    public List<HookPoint> hookPoints() {
        return hookPoints;
    }

    /** Model-wide scoped hooks. */
    public HookRegistry hooks() {
        return hooks;
    }

    /**
     * Opens a decode call for the step API ({@link DecodeCall#prefill}, {@link DecodeCall#resume},
     * {@link DecodeCall#fork}, {@link DecodeState#step}): it owns the call's native memory; close it when the call
     * ends. Counted by {@link #openManagerCount} and {@link #liveArrayCount} until closed.
     */
    public DecodeCall openCall() {
        return new DecodeCall(this, trackedManager("call"));
    }

    /** A new root manager on the model's device, counted by {@link #liveArrayCount} until closed. */
    NDManager trackedManager(String name) {
        NDManager m = NDManager.newBaseManager(device);
        m.setName(name);
        return ledger.track(m);
    }

    /** Arrays attached to the model manager (the weights; constant after load). */
    public int managedArrayCount() {
        return ((BaseNDManager) manager).getManagedArrays().size();
    }

    /**
     * Arrays alive across every manager of this model: the weights' manager, and each {@link DecodeCall},
     * {@link PromptState} and internal call (generate, forward) not closed yet, with their steps and sub-managers.
     * Between calls, with no prompt state open, this equals {@link #managedArrayCount}; an array or manager left
     * behind by a call makes it grow.
     */
    public int liveArrayCount() {
        return managedArrayCount() + ledger.liveArrays();
    }

    /** Decode calls, prompt states and internal calls open now. */
    public int openManagerCount() {
        return ledger.openManagers();
    }

    /** Generates continuations for a batch. */
    public GenerationResult generate(GenerationRequest request) {
        return Generator.generate(this, request);
    }

    /**
     * Prefills a prompt batch once for reuse by many generate calls (see {@link PromptState} for which hooks keep it
     * valid). The state owns its KV cache: close it to free it.
     *
     * @param maxNewTokens the usual number of new tokens (sizes the cache; larger requests still work, by copying)
     * @param hooks        hooks during the prefill (captures, or none)
     */
    public PromptState prefill(PromptBatch batch, int maxNewTokens, HookSet hooks) {
        NDManager owner = trackedManager("prompt-state");
        try {
            return new PromptState(DecodeState.prefill(this, owner, batch, batch.width() - 1 + Math.max(1, maxNewTokens), hooks),
                    batch, Map.of(), owner);
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /**
     * Prefills a prompt batch once for reuse, as {@link #prefill(PromptBatch, int, HookSet)} without hooks, and also
     * keeps the input of each block in {@code residualLayers} ({@code blocks.{L}.hook_resid_pre},
     * {@code [batch, width − 1, d_model]}, owned by the state), so that requests steering the whole prompt from block
     * L on can reuse the blocks below L through {@link DecodeCall#resume}. Costs {@code batch · (width − 1) · d_model}
     * values per kept block. Close the state to free it.
     *
     * @throws IllegalArgumentException if model-wide hooks are set (the kept inputs must be unhooked) or a block does
     *                                  not exist
     */
    public PromptState prefill(PromptBatch batch, int maxNewTokens, Set<Integer> residualLayers) {
        NDManager owner = trackedManager("prompt-state");
        try {
            Map<Integer, NDArray> residuals = new HashMap<>();
            DecodeState st = DecodeState.prefill(this, owner, batch, batch.width() - 1 + Math.max(1, maxNewTokens),
                    HookSet.empty(), Set.copyOf(residualLayers), residuals);
            return new PromptState(st, batch, residuals, owner);
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /**
     * One full forward pass over a prompt batch without a KV cache, copying the requested activations (after any
     * intervening hooks) and logits out to Java, pads set to 0.
     *
     * @param capture hook points to copy ({@code ln_final.hook_normalized} needs {@code logits == ALL})
     * @param logits  which logits to return
     * @param hooks   extra hooks (e.g. steering) applied before the captures
     */
    public ForwardResult forward(PromptBatch batch, Collection<HookPoint> capture, Transformer.Logits logits, HookSet hooks) {
        for (HookPoint p : capture) {
            if (!hookPoints.contains(p)) {
                throw new IllegalArgumentException(p + " is not a hook point of this " + config.numLayers() + "-layer "
                        + config.modelType() + " model");
            }
            if (p.kind() == HookPoint.Kind.LN_FINAL && logits != Transformer.Logits.ALL) {
                throw new IllegalArgumentException(p + " covers every position only with logits ALL; got " + logits);
            }
        }
        Map<HookPoint, float[]> acts = new LinkedHashMap<>();
        HookSet eff = hooks;
        for (HookPoint p : new LinkedHashSet<>(capture)) {
            eff = eff.with(p, (x, ctx) -> {
                acts.put(p, toFloats(x));
                return x;
            });
        }
        int b = batch.batchSize();
        int t = batch.width();
        float[] lg = null;
        long vocab = config.vocabSize();
        try (NDManager call = trackedManager("call")) {
            if (logits == Transformer.Logits.ALL) {
                lg = unembedInPieces(transformer, call, forwardNative(call, batch, eff, Transformer.Logits.NORMED),
                        LOGITS_CHUNK_FLOATS);
                vocab = lg.length / ((long) b * t);
            } else {
                NDArray out = forwardNative(call, batch, eff, logits);
                if (logits != Transformer.Logits.NONE) {
                    vocab = out.getShape().get(2);
                    lg = toFloats(out);
                }
            }
        }
        int h = config.hiddenSize();
        List<float[]> zeroed = new ArrayList<>(acts.values());
        for (int r = 0; r < b; r++) {
            int pad = t - batch.promptLength(r);
            for (int c = 0; c < pad; c++) {
                for (float[] a : zeroed) {
                    int w = a.length / (b * t); // d_model, or n_heads·d_head at hook_z
                    java.util.Arrays.fill(a, (r * t + c) * w, (r * t + c + 1) * w, 0f);
                }
                if (lg != null && logits == Transformer.Logits.ALL) {
                    java.util.Arrays.fill(lg, (int) ((r * t + c) * vocab), (int) ((r * t + c + 1) * vocab), 0f);
                }
            }
        }
        return new ForwardResult(b, t, (int) vocab, h, lg, acts);
    }

    /**
     * The logit lens: residual-stream rows (e.g. one block's {@code hook_resid_post} from {@link #forward}) through the
     * model's head, the final norm and everything after it ({@link Transformer#head}), so that the last block's output
     * gives the model's own logits. Runs a few rows at a time, like {@link #forward}'s logits.
     *
     * @param residual {@code [rows, d_model]} row-major
     * @return {@code [rows, d_vocab]} float32 logits, row-major
     * @throws IllegalArgumentException if {@code residual} is not a whole number of {@code d_model} rows
     */
    public float[] logitLens(float[] residual) {
        int h = config.hiddenSize();
        if (residual.length % h != 0) {
            throw new IllegalArgumentException(residual.length + " values are not whole rows of d_model " + h);
        }
        int rows = residual.length / h;
        long vocab = transformer.vocabSize();
        float[] out = new float[Math.toIntExact(rows * vocab)];
        int chunk = (int) Math.max(1, Math.min(rows, LOGITS_CHUNK_FLOATS / vocab));
        try (NDManager call = trackedManager("lens")) {
            for (int from = 0; from < rows; from += chunk) {
                int n = Math.min(chunk, rows - from);
                try (NDManager piece = call.newSubManager()) {
                    NDArray x = piece.create(java.util.Arrays.copyOfRange(residual, from * h, (from + n) * h), new Shape(1, n, h));
                    if (dataType != DataType.FLOAT32) {
                        x = x.toType(dataType, false);
                    }
                    NDArray l = transformer.head(x); // [1, n, d_vocab]
                    if (l.getDataType() != DataType.FLOAT32) {
                        l = l.toType(DataType.FLOAT32, false);
                    }
                    l.toByteBuffer(true).asFloatBuffer().get(out, Math.toIntExact(from * vocab), Math.toIntExact(n * vocab));
                }
            }
        }
        return out;
    }

    /**
     * The plain forward over a whole batch (no cache), returning logits as an NDArray in {@code scope}: the path a
     * training loop can differentiate through.
     *
     * @return {@code [batch, pos, d_vocab]} (ALL), {@code [batch, 1, d_vocab]} (LAST) or the residual (NONE)
     */
    NDArray forwardNative(NDManager scope, PromptBatch batch, HookSet hooks, Transformer.Logits logits) {
        requireKnownTokenIds(batch);
        int b = batch.batchSize();
        int t = batch.width();
        for (int r = 0; r < b; r++) {
            if (batch.promptLength(r) > transformer.maxPositions()) {
                throw new IllegalArgumentException("row " + r + " has " + batch.promptLength(r) + " tokens, more than the model's "
                        + transformer.maxPositions() + " positions");
            }
        }
        long[] ids = new long[b * t];
        long[] pos = new long[b * t];
        int[] posJ = new int[b * t];
        int[] maskJ = new int[b * t];
        float[] mask = new float[b * t * t];
        for (int r = 0; r < b; r++) {
            for (int c = 0; c < t; c++) {
                ids[r * t + c] = batch.id(r, c);
                posJ[r * t + c] = batch.positionId(r, c);
                pos[r * t + c] = posJ[r * t + c];
                maskJ[r * t + c] = batch.mask(r, c);
                for (int u = 0; u < t; u++) {
                    mask[(r * t + c) * t + u] = u <= c && batch.mask(r, u) == 1 ? 0f : KvCache.MASKED;
                }
            }
        }
        StepPositions meta = new StepPositions(b, t, posJ, maskJ, batch.promptLengths(), identity(b), true);
        ForwardContext ctx = new ForwardContext(scope, scope, new HashMap<>(), hooks().snapshot().with(hooks), meta,
                scope.create(mask, new Shape(b, 1, 1, t, t)), null, dataType);
        return transformer.forward(scope.create(ids, new Shape(b, t)), scope.create(pos, new Shape(b, t)), ctx, logits);
    }

    /**
     * Unembeds {@code [batch, pos, d_model]} a few rows at a time (about {@code chunkFloats} floats each, at least one
     * row), copying each piece into one Java array, so the engine never holds the whole {@code [batch, pos, d_vocab]}.
     */
    static float[] unembedInPieces(Transformer transformer, NDManager call, NDArray normed, long chunkFloats) {
        int b = (int) normed.getShape().get(0);
        long t = normed.getShape().get(1);
        long vocab = transformer.vocabSize();
        float[] out = new float[Math.toIntExact(b * t * vocab)];
        int rows = (int) Math.max(1, Math.min(b, chunkFloats / (t * vocab)));
        for (int from = 0; from < b; from += rows) {
            int to = Math.min(b, from + rows);
            try (NDManager piece = call.newSubManager()) {
                NDArray part = normed.get(new NDIndex().addSliceDim(from, to));
                part.attach(piece);
                NDArray l = transformer.unembed(part);
                if (l.getDataType() != DataType.FLOAT32) {
                    l = l.toType(DataType.FLOAT32, false);
                }
                l.toByteBuffer(true).asFloatBuffer().get(out, Math.toIntExact(from * t * vocab), Math.toIntExact((to - from) * t * vocab));
            }
        }
        return out;
    }

    private static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static float[] toFloats(NDArray x) {
        return x.getDataType() == DataType.FLOAT32 ? x.toFloatArray() : x.toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** Frees the weights, and every decode call and prompt state still open. */
    @Override
    public void close() {
        ledger.closeAll();
        manager.close();
    }

    @Override
    public String toString() {
        return "LoadedModel[" + dir + ", " + config.modelType() + ", " + dataType + " on " + device + "]";
    }
}
