package dev.steeropt.studies.pipeline;

import dev.steeropt.cache.key.Fingerprints;
import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.runtime.EngineThreads;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.steering.ZeroSteeringCheck;
import dev.steeropt.core.steering.ZeroSteeringReport;
import dev.steeropt.core.steering.caa.ReadPosition;
import dev.steeropt.core.tokenizer.ChatMessage;
import dev.steeropt.core.tokenizer.ChatTemplate;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.prompts.KShotBase;
import dev.steeropt.eval.prompts.PromptVariant;
import dev.steeropt.eval.prompts.PromptVariants;
import dev.steeropt.eval.scoring.Graders;
import dev.steeropt.eval.splits.Split;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.artifacts.Artifacts;
import dev.steeropt.studies.artifacts.Manifest;
import dev.steeropt.studies.artifacts.SplitIds;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.importance.ObjectiveImportance;
import dev.steeropt.studies.manager.StudyManager;
import dev.steeropt.studies.objective.MultiSteeringObjective;
import dev.steeropt.studies.objective.ParamMapping;
import dev.steeropt.studies.objective.SteeringObjective;
import dev.steeropt.studies.objective.TrialConfig;
import dev.steeropt.studies.pipeline.multi.FrontEvaluation;
import dev.steeropt.studies.pipeline.multi.ParetoArtifacts;
import dev.steeropt.studies.plots.StudyCharts;
import dev.steeropt.studies.analysis.probes.CrossValidatedProbes;
import dev.steeropt.studies.analysis.probes.ProbeReport;
import dev.steeropt.studies.analysis.probes.ProbeSet;
import dev.steeropt.studies.spec.PromptKind;
import dev.steeropt.studies.spec.Specs;
import dev.steeropt.studies.spec.SteerMethod;
import dev.steeropt.studies.spec.StudySpec;
import dev.steeropt.studies.spec.VectorSourceKind;
import dev.steeropt.studies.store.TrialProcess;
import dev.steeropt.studies.store.TrialQuota;
import dev.steeropt.studies.vectors.CachedActivations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code optimize} stages, in order: load model and data, draw leak-free splits, build (or load) steering vectors
 * from the train split, search on validation (this process plus K−1 workers on the same storage), evaluate the test
 * split exactly once (baseline and best on the same items), write the artifacts. Each stage is a method; the
 * wiring lives here and in {@code OptimizeCommand} only.
 */
public final class OptimizePipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OptimizePipeline.class);
    private static final long CACHE_CAP_BYTES = 2L << 30;

    private final LoadedModel model;
    private final Tokenizer tokenizer;
    private final String modelFingerprint;
    private final Progress progress;

    private OptimizePipeline(LoadedModel model, Tokenizer tokenizer, String modelFingerprint, Progress progress) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.modelFingerprint = modelFingerprint;
        this.progress = progress;
    }

    /** Stage 1: loads the model and tokenizer and fingerprints the model files. */
    public static OptimizePipeline load(Path modelDir, PrintWriter err) {
        Progress progress = new Progress(err);
        progress.note("Loading model " + modelDir + " ...");
        LoadedModel model = LoadedModel.load(modelDir);
        try {
            if (EngineThreads.configureFor(model.config()) == 1) {
                progress.note("Small model (d_model " + model.config().hiddenSize() + "): one PyTorch thread");
            }
            Tokenizer tokenizer = Tokenizer.load(modelDir);
            return new OptimizePipeline(model, tokenizer, Fingerprints.model(modelDir), progress);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Decoder layers of the model. */
    public int numLayers() {
        return model.config().numLayers();
    }

    /** Content fingerprint of the model files. */
    public String modelFingerprint() {
        return modelFingerprint;
    }

    /** What a finished run produced; {@code front} is null unless the study has several objectives. */
    public record Outcome(Study study, FrozenTrial best, TestEvaluation test, Path outputDir, Map<String, Long> states,
            double searchSeconds, ControlVectorExport controlVector, FrontEvaluation front) {}

    /** Everything a search needs, built once per process. */
    private final class Prepared implements AutoCloseable {
        final StudyData data;
        final PromptVariant variant;
        final LayerVectors vectors;
        final ArmRunner runner;
        final PromptChunks validation;

        Prepared(StudySpec spec, Path dataDir, Path cacheDir, boolean reuse, VectorSource source) {
            progress.note("Loading " + spec.dataset() + " and drawing splits (train " + spec.splits().train()
                    + ", validation " + spec.splits().validation() + ", test "
                    + (spec.splits().test() == null ? "all" : spec.splits().test()) + ", seed " + spec.splits().seed()
                    + ") ...");
            data = StudyData.load(spec, dataDir);
            variant = variant(spec, data);
            List<Integer> layers = searchedLayers(spec);
            List<Problem> pairItems = pairItems(variant, data);
            Split train = Split.of("train", pairItems.stream().map(Problem::id).toList());
            if (spec.vectorSource().kind() != VectorSourceKind.CONTRAST) {
                progress.note("Steering vectors from " + spec.vectorSource().kind().wireName() + " "
                        + spec.vectorSource().source() + " (layers " + layers + ")");
            }
            ActivationStore cache = ActivationStore.open(cacheDir, CACHE_CAP_BYTES);
            vectors = source.vectors(model, modelFingerprint, layers, pairItems.stream()
                    .map(p -> encode(spec, variant.render(p))).toList(), train.idsHash(), variant.hash(), padId(), cache,
                    () -> VectorBuilder.build(model, modelFingerprint, layers, train, pairItems, variant.hash(),
                            variant::render, text -> encode(spec, text), cache, spec.pairBuilder(), progress));
            runner = new ArmRunner(model, tokenizer, vectors, variant.stopSequences(),
                    Graders.forDataset(spec.dataset()), spec.maxNewTokens(), spec.steerPositions());
            validation = chunks(spec, data.validation(), spec.chunks(), reuse, residualLayers(spec));
        }

        /**
         * The zero-steering check on up to four validation prompts: every method at strength 0, through its real
         * hooks, must give the unsteered tokens and logits exactly; the non-zero controls must behave.
         */
        void zeroSteeringCheck(StudySpec spec) {
            List<int[]> prompts = new ArrayList<>();
            for (Problem p : data.validation().subList(0, Math.min(4, data.validation().size()))) {
                prompts.add(encode(spec, variant.render(p)));
            }
            int layer = (spec.searchSpace().layerLow() + spec.searchSpace().layerHigh()) / 2;
            ZeroSteeringReport r = ZeroSteeringCheck.run(model, PromptBatch.leftPad(prompts, padId()),
                    vectors.get(layer), Math.min(8, spec.maxNewTokens()));
            if (!r.passed()) {
                throw UserFacingException.runtime("The zero-steering check failed on layer " + layer,
                        "alpha = 0 must reproduce the unsteered model exactly:\n" + r.table(),
                        "This is a bug in the steering runtime; run 'steeropt validate-zero' for details.", null);
            }
            progress.note("Zero-steering check passed (layer " + layer + ", " + r.prompts() + " prompts, "
                    + r.rows().size() + " rows, " + r.rows().stream().mapToLong(ZeroSteeringReport.Row::hookCalls).sum()
                    + " steering hook calls: every method at alpha 0 through its hooks equals the baseline bit for bit;"
                    + " the controls behave)");
        }

        PromptChunks chunks(StudySpec spec, List<Problem> items, int n, boolean reuse, Set<Integer> residualLayers) {
            return new PromptChunks(model, items, n, p -> encode(spec, variant.render(p)), padId(), spec.seed(),
                    spec.maxNewTokens(), reuse, residualLayers);
        }

        @Override
        public void close() {
            validation.close();
        }
    }

    /**
     * Runs the study: the search (with workers), then, in the main process, the single test evaluation and the
     * artifacts. A worker returns null after the search.
     */
    public Outcome run(StudySpec spec, RunOptions opts, PrintWriter out) {
        try (VectorSource source = openSource(spec);
                StudyManager manager = StudyManager.open(opts.storage(), opts.maxRetry())) {
            Study study = manager.openStudy(opts.studyName(), spec, opts.worker() ? opts.workerIndex() : 0);
            if (!opts.worker()) {
                manager.requireTestAllowed(study, opts.allowRetest());
            }
            // every process of this run draws from one counter, so the run adds exactly n_trials trials
            String runId = opts.runId() != null ? opts.runId() : StudyManager.processName() + "@" + Instant.now();
            String label = opts.worker() ? "worker-" + opts.workerIndex() : "main";
            TrialQuota quota = new TrialQuota(runId, TrialProcess.labelled(label), spec.budget().nTrials(),
                    opts.maxTrials());
            try (Prepared prep = new Prepared(spec, opts.dataDir(), opts.cacheDir(), true, source)) {
                if (!opts.worker()) {
                    prep.zeroSteeringCheck(spec);
                    printEstimate(spec, prep, out);
                    Artifacts art = new Artifacts(opts.outputDir());
                    art.writeJson(Artifacts.CONFIG, Specs.toTree(spec));
                    study.setSystemAttr(Artifacts.DIR_ATTR, art.dir().toAbsolutePath().toString());
                    Map<String, Object> reference = baselineParams(spec);
                    if (study.trials().isEmpty() && !reference.isEmpty()) {
                        study.enqueueTrial(reference, Map.of("note", "unsteered reference"), true);
                    }
                }
                List<Process> workers = opts.worker() ? List.of() : startWorkers(opts, spec.budget().nWorkers(), runId);
                long t0 = System.nanoTime();
                try {
                    search(manager, study, spec, prep, quota, label, opts.fault());
                } finally {
                    waitFor(workers); // a stopped run stops its workers too, at their next trial
                }
                manager.requireRunGoing(study, quota); // a worker may have stopped the run
                double searchSeconds = (System.nanoTime() - t0) / 1e9;
                if (opts.worker()) {
                    return null;
                }
                StudyManager.TestClaim claim = manager.claimTest(study, StudyManager.processName(), opts.allowRetest());
                if (!claim.won()) {
                    progress.note(claim.loserNote(study.name()));
                    return null;
                }
                FrontEvaluation front = spec.multiObjective() == null ? null
                        : FrontEvaluation.run(study, spec.multiObjective(), c -> testOn(spec, prep, c));
                FrozenTrial best = front == null ? bestTrial(study) : study.trials().stream()
                        .filter(t -> t.number() == front.chosenPoint().trial()).findFirst().orElseThrow();
                TestEvaluation test = front == null ? testOn(spec, prep, ParamMapping.fromParams(best.params()))
                        : front.chosen();
                TestSummary.Recorded record = new TestSummary.Recorded(test.summary(), Instant.now().toString(),
                        best.number(), manager.testEvaluation(study) != null);
                manager.recordTest(study, Artifacts.toMap(record));
                Map<String, Long> states = new LinkedHashMap<>();
                for (TrialState s : TrialState.values()) {
                    states.put(s.name(), StudyManager.count(study, s));
                }
                ControlVectorExport controlVector = writeArtifacts(spec, opts, study, best, test, prep, front);
                return new Outcome(study, best, test, opts.outputDir(), states, searchSeconds, controlVector, front);
            }
        }
    }

    /**
     * One configuration's single test evaluation: its baseline arm at α = 0 and its own arm (and the greedy unsteered
     * arm when it samples) on every test item; a CAA configuration at every position keeps its layer's block input.
     */
    private TestEvaluation testOn(StudySpec spec, Prepared prep, TrialConfig config) {
        Set<Integer> keep = spec.steerPositions().sparesPromptPrefix() || config.method() != SteerMethod.CAA
                ? Set.of() : Set.of(config.layer());
        int n = prep.data.testItems().size();
        try (PromptChunks testChunks = prep.chunks(spec, prep.data.testItems(), Math.min(n, Math.max(1, n / 8)), true,
                keep)) {
            return TestEvaluation.run(prep.runner, testChunks, config, spec.metric(), spec.seed(), progress);
        }
    }

    private void search(StudyManager manager, Study study, StudySpec spec, Prepared prep, TrialQuota quota,
            String label, TrialFault fault) {
        progress.start("search on validation (" + prep.validation.items() + " items, " + spec.chunks()
                + " chunks per trial" + (spec.budget().nWorkers() > 1 ? "; " + label + " of "
                + spec.budget().nWorkers() + " processes sharing " + spec.budget().nTrials() + " trials" : "")
                + (quota.maxTrials() != null ? "; the study stops at " + quota.maxTrials() + " trials" : "") + ")",
                spec.budget().nTrials());
        ParamMapping mapping = new ParamMapping(spec.searchSpace());
        ValidationChunks chunks = new ValidationChunks(prep.runner, prep.validation);
        Duration timeout = spec.budget().timeoutSeconds() == 0 ? null : Duration.ofSeconds(spec.budget().timeoutSeconds());
        if (spec.multiObjective() == null) {
            manager.search(study, fault.inject(new SteeringObjective(mapping, chunks, spec.metric()), mapping), quota,
                    timeout, t -> progress.advance(1));
        } else {
            manager.searchMulti(study, fault.inject(new MultiSteeringObjective(mapping, chunks, spec.metric(),
                    spec.multiObjective().objectives()), mapping), quota, timeout, t -> progress.advance(1));
        }
    }

    /** Starts workers 1..K−1 of the run; they draw from the run's trial counter like this process. */
    private List<Process> startWorkers(RunOptions opts, int processes, String runId) {
        List<List<String>> args = new ArrayList<>();
        for (int k = 1; k < processes; k++) {
            List<String> a = new ArrayList<>(opts.workerArgs());
            a.addAll(List.of("--worker", "--worker-index", Integer.toString(k), "--run-id", runId));
            args.add(a);
        }
        if (args.isEmpty()) {
            return List.of();
        }
        progress.note("Starting " + args.size() + " worker process(es) sharing this run's trials; logs in "
                + opts.outputDir().resolve("worker-<k>.log"));
        return StudyManager.startWorkers(args, opts.outputDir());
    }

    private void waitFor(List<Process> workers) {
        for (int k = 0; k < workers.size(); k++) {
            try {
                int code = workers.get(k).waitFor();
                if (code != 0) {
                    LOG.warn("Worker {} exited with code {}; see worker-{}.log in the output directory (its finished"
                            + " trials are kept)", k + 1, code, k + 1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                workers.forEach(Process::destroy);
                throw UserFacingException.runtime("Interrupted while waiting for workers", null, null, e);
            }
        }
    }

    private static FrozenTrial bestTrial(Study study) {
        if (StudyManager.count(study, TrialState.COMPLETE) == 0) {
            List<String> reasons = study.trials().stream()
                    .filter(t -> t.state() == TrialState.FAIL).limit(3)
                    .map(t -> "#" + t.number() + ": " + t.systemAttrs().get("fail_reason")).toList();
            throw UserFacingException.runtime("No trial of study '" + study.name() + "' completed, so there is no"
                    + " configuration to test", reasons.isEmpty() ? "every trial was pruned or is still running"
                    : "failures: " + String.join("; ", reasons), "Fix the cause, or run more trials.", null);
        }
        return study.bestTrial();
    }

    /** The reference trial enqueued first: no steering, greedy, at the middle layer of the space. */
    static Map<String, Object> baselineParams(StudySpec spec) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("layer", (spec.searchSpace().layerLow() + spec.searchSpace().layerHigh()) / 2);
        if (!spec.searchSpace().alpha().contains(0) || !spec.searchSpace().temperature().contains(0)) {
            return Map.of();
        }
        p.put("alpha", 0.0);
        SteerMethod method = spec.searchSpace().method().get(0);
        p.put("method", method.wireName());
        p.put("temperature", 0.0);
        if (method == SteerMethod.DAC) {
            p.put("top_p", spec.searchSpace().topP().high());
        }
        return p;
    }

    private void printEstimate(StudySpec spec, Prepared prep, PrintWriter out) {
        long val = (long) prep.validation.items() * spec.budget().nTrials() * spec.maxNewTokens();
        long test = 2L * prep.data.testItems().size() * spec.maxNewTokens();
        progress.note(String.format(Locale.ROOT, "Estimate: search %d validation items x %d trials x <= %d new tokens"
                + " = <= %,d generated tokens (fewer with pruning); test %d items x 2 arms x <= %d = <= %,d;"
                + " validation prompts %,d tokens, prefilled once and reused by every trial%s",
                prep.validation.items(), spec.budget().nTrials(), spec.maxNewTokens(), val,
                prep.data.testItems().size(), spec.maxNewTokens(), test, prep.validation.promptTokens(),
                prep.validation.residualLayers().isEmpty() ? "" : " (CAA at all positions: each trial reruns the"
                        + " prompts from the highest kept block input at or below its layer; kept: "
                        + new java.util.TreeSet<>(prep.validation.residualLayers()) + ")"));
    }

    private ControlVectorExport writeArtifacts(StudySpec spec, RunOptions opts, Study study, FrozenTrial best,
            TestEvaluation test, Prepared prep, FrontEvaluation front) {
        Artifacts art = new Artifacts(opts.outputDir());
        TrialConfig config = ParamMapping.fromParams(best.params());
        ControlVectorExport controlVector = ControlVectorExport.write(art.dir(), config, spec.steerPositions(),
                prep.vectors.get(config.layer()), model.config().modelType());
        art.writeJson(Artifacts.BEST, BestConfiguration.of(spec, study.name(), best, controlVector));
        VectorSource.asDirectionSet(prep.vectors, spec.vectorSource(), modelFingerprint)
                .writeFile(art.dir().resolve(Artifacts.VECTORS));
        Map<String, SplitIds> splits = SplitIds.of(prep.data.plan());
        art.writeJson(Artifacts.FINAL, FinalResults.of(study.name(), best.number(), splits, test,
                front == null ? null : front.report()));
        if (front != null) {
            ParetoArtifacts.write(art, front);
        }
        art.writeTrialsCsv(study.trials());
        new StudyCharts(study.name(), study.trials(), study.directions(), 0, "validation " + spec.metric().wireName()
                + " accuracy").writeArtifactPlots(art.dir(), ObjectiveImportance.defaults());
        Manifest.Run run = new Manifest.Run(study.name(), opts.storage().toString(), spec.model(), prep.data.source(),
                new Manifest.PromptVariantId(prep.variant.name(), prep.variant.hash()), splits, prep.vectors.norms(),
                spec.vectorSource());
        art.writeJson(Artifacts.MANIFEST, Manifest.of(modelFingerprint, prep.data.sha256(),
                new Manifest.Seeds(spec.seed(), spec.splits().seed(), spec.seed()), run));
        return controlVector;
    }

    /** The study's vector source, checked against the model before the study is opened. */
    private VectorSource openSource(StudySpec spec) {
        return VectorSource.open(spec.vectorSource(), model, tokenizer, spec.model(), modelFingerprint,
                searchedLayers(spec));
    }

    private static List<Integer> searchedLayers(StudySpec spec) {
        return IntStream.rangeClosed(spec.searchSpace().layerLow(), spec.searchSpace().layerHigh()).boxed().toList();
    }

    private PromptVariant variant(StudySpec spec, StudyData data) {
        return variant(spec.prompt(), spec.kShot(), spec.seed(), data.plan(), data.pool(), tokenizer, model.dir());
    }

    /**
     * The prompt variant of a prompt kind: k-shot exemplars are drawn from the plan's train split of {@code pool}
     * with {@code seed}; {@code chat} needs the tokenizer's chat template.
     *
     * @throws UserFacingException (usage) for {@code chat} on a model without a chat template
     */
    public static PromptVariant variant(PromptKind kind, int kShot, long seed, dev.steeropt.eval.splits.SplitPlan plan,
            List<Problem> pool, Tokenizer tokenizer, Path modelDir) {
        switch (kind) {
            case ZERO_SHOT_COT:
                return PromptVariants.zeroShotCot();
            case QUESTION_ANSWER:
                return PromptVariants.questionAnswer();
            case K_SHOT:
                return PromptVariants.kShotFromTrain(plan, pool, kShot, seed);
            case CHAT:
                ChatTemplate t = tokenizer.chatTemplate().orElseThrow(() -> UserFacingException.usage(
                        "Prompt variant 'chat' needs a chat template", modelDir + " has none",
                        "Use --prompt zero-shot-cot or k-shot for a base model."));
                Function<List<Map<String, String>>, String> render = msgs -> t.render(msgs.stream()
                        .map(m -> new ChatMessage(m.get("role"), m.get("content"))).toList(), true);
                return PromptVariants.zeroShotChat(dev.steeropt.eval.prompts.PromptVariant.sha256Hex(t.source()),
                        render);
            default:
                throw new IllegalStateException("no prompt variant for " + kind.wireName());
        }
    }

    private int[] encode(StudySpec spec, String text) {
        return tokenizer.encode(text, spec.prompt() != PromptKind.CHAT);
    }

    private int padId() {
        if (tokenizer.padId().isPresent()) {
            return tokenizer.padId().getAsInt();
        }
        int[] eos = tokenizer.eosIds();
        return eos.length > 0 ? eos[0] : 0;
    }

    /**
     * The blocks whose input the validation chunks keep: the {@link PromptChunks#residualCheckpoints} of the searched
     * layers when CAA steers every position (so a trial at layer L reruns the prompt from a kept block at or below L
     * instead of prefilling it in full), else none.
     */
    private Set<Integer> residualLayers(StudySpec spec) {
        if (spec.steerPositions().sparesPromptPrefix() || !spec.searchSpace().method().contains(SteerMethod.CAA)) {
            return Set.of();
        }
        return PromptChunks.residualCheckpoints(model.config(), spec.searchSpace().layerLow(),
                spec.searchSpace().layerHigh());
    }

    /**
     * The prefix-reuse benchmark: one validation pass (all chunks, one fixed CAA configuration) as trial 1 pays it
     * (prefill included) and as every later trial pays it, beside a pass without reuse, in two position modes: from
     * the last prompt token on, at the middle searched layer (the whole prompt prefix reused), and at every position,
     * at the middle and at the highest searched layer (the blocks below the highest kept block input at or below the
     * layer reused; the saving grows with the layer); checks that reuse changes no output.
     */
    public ReuseBenchmark.Result benchReuse(StudySpec spec, Path dataDir, Path cacheDir, int repeats) {
        StudySpec prefixSpec = spec.withSteerPositions(SteerPositions.FROM_LAST_PROMPT_TOKEN);
        Set<Integer> keep = residualLayers(spec.withSteerPositions(SteerPositions.ALL));
        int mid = (spec.searchSpace().layerLow() + spec.searchSpace().layerHigh()) / 2;
        int high = spec.searchSpace().layerHigh();
        try (VectorSource source = openSource(spec);
                Prepared prep = new Prepared(prefixSpec, dataDir, cacheDir, true, source);
                PromptChunks fresh = prep.chunks(spec, prep.data.validation(), spec.chunks(), false, Set.of())) {
            List<ReuseBenchmark.Mode> modes = new ArrayList<>();
            modes.add(ReuseBenchmark.run(prep.runner, prep.validation, fresh, caa(mid), repeats, progress));
            for (int layer : new java.util.TreeSet<>(List.of(mid, high))) {
                try (PromptChunks resumed = prep.chunks(spec, prep.data.validation(), spec.chunks(), true, keep)) {
                    modes.add(ReuseBenchmark.run(prep.runner.withPositions(SteerPositions.ALL), resumed, fresh,
                            caa(layer), repeats, progress));
                }
            }
            return new ReuseBenchmark.Result(modes, prep.validation.items(), prep.validation.promptTokens());
        }
    }

    private static TrialConfig caa(int layer) {
        return new TrialConfig(SteerMethod.CAA, layer, 1.0, 0.0, Double.NaN);
    }

    /**
     * {@code --layers auto}: linear probes (one per layer, {@link CrossValidatedProbes}, the same as {@code analyze
     * probes --label gold_vs_corrupted_answer}) separating the positive from the negative side of the study's contrast
     * pairs of the train split, scored by cross-validation (5 folds, fewer for fewer than 5 pairs) with both sides of a pair in one fold, so neither
     * validation nor test items are read. Returns the range spanning the {@code k} layers with the best AUC and writes
     * the probe report to {@code outputDir}/{@value Artifacts#PROBES}.
     */
    public int[] autoLayers(StudySpec spec, Path dataDir, Path cacheDir, int k, Path outputDir) {
        StudyData data = StudyData.load(spec, dataDir);
        PromptVariant variant = variant(spec, data);
        List<Problem> train = pairItems(variant, data);
        if (train.size() < 2) {
            throw UserFacingException.usage("--layers auto needs at least 2 train items", "the probes are scored by"
                    + " cross-validation over the train split's pairs, a pair per fold at the least; got " + train.size(),
                    "Raise --train-size.");
        }
        List<Integer> layers = IntStream.range(0, numLayers()).boxed().toList();
        ActivationStore store = ActivationStore.open(cacheDir, CACHE_CAP_BYTES);
        progress.start("layer probes (" + numLayers() + " layers, " + train.size() + " train items)", 1);
        ProbeSet set = probeSet(spec, variant, train, store, layers);
        int folds = Math.min(CrossValidatedProbes.DEFAULT_FOLDS, set.size() / 2); // one pair per fold at the least
        ProbeReport report = ProbeReport.fit(model.dir().toString(), spec.pairBuilder().wireName(), ReadPosition.lastToken().label(),
                set, new CrossValidatedProbes.Options(folds, CrossValidatedProbes.DEFAULT_LAMBDA, spec.seed(), true), false);
        progress.advance(1);
        Path reportFile = new Artifacts(outputDir).writeJson(Artifacts.PROBES, report);
        List<Integer> top = report.overall().topLayersByAuc(Math.min(k, numLayers()));
        progress.note("--layers auto: best probe AUC at layers " + top + " (report " + reportFile + ")");
        return new int[] {top.get(0), top.get(top.size() - 1)};
    }

    /**
     * The train items that make contrast pairs: all of them, except a k-shot prompt's own exemplars (which the prompt
     * cannot be rendered for).
     */
    static List<Problem> pairItems(PromptVariant variant, StudyData data) {
        if (variant instanceof KShotBase k) {
            java.util.Set<String> ex = new java.util.HashSet<>();
            k.exemplars().forEach(p -> ex.add(p.id()));
            List<Problem> out = data.train().stream().filter(p -> !ex.contains(p.id())).toList();
            if (out.isEmpty()) {
                throw UserFacingException.usage("No train item is left for steering vectors",
                        "all " + ex.size() + " train items are k-shot exemplars", "Raise --train-size above --k-shot.");
            }
            return out;
        }
        return data.train();
    }

    /** Both sides of every contrast pair that fits, read at the last token through the activation cache; a pair is a group. */
    private ProbeSet probeSet(StudySpec spec, PromptVariant variant, List<Problem> candidates, ActivationStore store,
            List<Integer> layers) {
        List<VectorBuilder.Encoded> pairs = VectorBuilder.encodedPairs(spec.pairBuilder(), candidates, variant::render,
                text -> encode(spec, text), model.config().maxPositions());
        List<Problem> items = pairs.stream().map(VectorBuilder.Encoded::item).toList();
        if (items.size() < 2) {
            throw UserFacingException.usage("Only " + items.size() + " " + spec.pairBuilder().wireName() + " contrast pairs of the "
                    + candidates.size() + " train items fit the model's " + model.config().maxPositions() + " positions",
                    "--layers auto probes need at least 2 pairs the model can read whole",
                    "Use --pairs answer_off_by_one (short pairs), a larger --train-size, or explicit --layers A-B.");
        }
        List<int[]> seqs = new ArrayList<>();
        int n = pairs.size();
        int[] labels = new int[2 * n];
        int[] groups = new int[2 * n];
        for (int i = 0; i < n; i++) {
            seqs.add(pairs.get(i).positive());
            labels[i] = 1;
            groups[i] = i;
        }
        for (int i = 0; i < n; i++) {
            seqs.add(pairs.get(i).negative());
            groups[n + i] = i;
        }
        List<String> ids = items.stream().map(Problem::id).toList();
        CachedActivations.Scope scope = new CachedActivations.Scope(modelFingerprint, "train/probe/" + spec.pairBuilder().wireName(),
                Fingerprints.idList(ids), variant.hash(), "special=true;pad=left");
        return new ProbeSet(CachedActivations.read(store, scope, model, seqs, ReadPosition.lastToken(), layers, 8), labels,
                List.of("negative", "positive"), groups, java.util.Collections.nCopies(2 * n, "all"));
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
