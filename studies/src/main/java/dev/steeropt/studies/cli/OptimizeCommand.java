package dev.steeropt.studies.cli;

import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.eval.stats.BootstrapInterval;
import dev.steeropt.studies.demo.DemoModel;
import dev.steeropt.studies.demo.DemoModelTraining;
import dev.steeropt.studies.manager.StudyManager;
import dev.steeropt.studies.objective.ParamMapping;
import dev.steeropt.studies.pipeline.OptimizePipeline;
import dev.steeropt.studies.pipeline.ReuseBenchmark;
import dev.steeropt.studies.pipeline.RunOptions;
import dev.steeropt.studies.pipeline.TestEvaluation;
import dev.steeropt.studies.pipeline.TrialFault;
import dev.steeropt.studies.pipeline.multi.FrontSummary;
import dev.steeropt.studies.spec.CrossoverKind;
import dev.steeropt.studies.spec.Metric;
import dev.steeropt.studies.spec.MultiObjectiveSpec;
import dev.steeropt.studies.spec.ObjectiveKind;
import dev.steeropt.studies.spec.PairBuilder;
import dev.steeropt.studies.spec.PromptKind;
import dev.steeropt.studies.spec.PrunerKind;
import dev.steeropt.studies.spec.SamplerKind;
import dev.steeropt.studies.spec.SearchSpaceSpec;
import dev.steeropt.studies.spec.SelectionRule;
import dev.steeropt.studies.spec.Specs;
import dev.steeropt.studies.spec.StudySpec;
import dev.steeropt.studies.spec.WireName;
import dev.steeropt.studies.store.StorageUrl;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt optimize}: the whole job. Builds steering vectors on train, searches layer, α, method and temperature
 * on validation (TPE + median pruning by default), evaluates the best configuration and the unsteered baseline once on
 * test, and writes the artifacts. Results on stdout; estimate, progress and logs on stderr.
 */
@Command(name = "optimize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Search the best steering configuration on validation and evaluate it exactly once on test.",
            "--mode debug (default): train 32, validation 24, test 48, 12 trials, 48 new tokens, synthetic data.",
            "With a demo model (no --model, demo-hasty, demo-careful, or one written by train-demo-model): its own"
                    + " prompt format (question-answer), 112 new tokens, careful_vs_hasty pairs, last_prompt_token"
                    + " positions, and in debug train 64, validation 100, test 200, 24 trials (8 random start-up trials).",
            "--mode full: train 512, validation 256, all 1,319 GSM8K test items, 50 trials, 256 new tokens, 5-shot.",
            "Artifacts in --output-dir: config.json, best_configuration.json, final_results.json, study_trials.csv,"
                    + " manifest.json, the SQLite study database (default storage) and, when the best trial steers"
                    + " with CAA, best_control_vector.gguf for llama.cpp (--control-vector-scaled FILE ALPHA).",
            "--objectives accuracy,tokens: a multi-objective study (no pruning); the --select rule picks the tested"
                    + " configuration from the validation Pareto front; also pareto_front.csv, .json and .png."})
public final class OptimizeCommand implements Callable<Integer> {

    @Mixin
    VerbosityMixin verbosity;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--mode", defaultValue = "debug", description = "debug or full: default sizes (default: ${DEFAULT-VALUE}).")
    Mode mode;

    /** {@code --mode}: which default sizes apply. */
    enum Mode implements WireName {
        /** Small sizes on synthetic data. */
        DEBUG,
        /** GSM8K at full size. */
        FULL;

        static Mode parse(String name) {
            return WireName.parse(Mode.class, "mode", name);
        }
    }
    @Option(names = "--model", paramLabel = ModelReference.LABEL, defaultValue = DemoModel.DEFAULT_NAME,
            description = ModelReference.HELP + " (default: ${DEFAULT-VALUE}).")
    ModelReference model;
    @Option(names = "--dataset", description = "gsm8k, math500 (its 500 problems ranked by the split seed: 300 for train and validation, 200 for"
            + " test; \\boxed{} answers) or synthetic (default: synthetic in debug, gsm8k in full).")
    DatasetName dataset;
    @Mixin
    DataOptions data;
    @Option(names = "--n-trials", paramLabel = "N", description = "Trials this run adds to the study (exactly; its --n-workers processes draw from one counter, so a crashed process's remainder is taken over). Counted: COMPLETE, PRUNED and RUNNING; a FAIL trial (its objective threw, or its process died) frees its slot and its params are retried (see --max-retry).")
    Integer nTrials;
    @Option(names = "--max-trials", paramLabel = "N", description = "Cap on the study's trials over every run, process and machine (exactly; counted as for --n-trials, reserved when a trial starts under the study's write lock). Default: no cap.")
    Integer maxTrials;
    @Option(names = "--max-retry", paramLabel = "N", description = "Retries of a failed trial's params (Optuna's failed_trial and retry_history attributes on each retry). When a trial whose objective failed has no retry left, the run stops with exit 1 naming the trial and its error; a lost trial's params are then dropped with a warning (default: ${DEFAULT-VALUE}).")
    int maxRetry = StudyManager.DEFAULT_MAX_RETRY;
    @Option(names = "--timeout", paramLabel = "S", description = "Start no new trial after S seconds (default: none).")
    long timeout;
    @Option(names = "--storage", paramLabel = "URL", description = "Study database (default: sqlite in --output-dir).")
    String storage;
    @Option(names = "--study-name", paramLabel = "S", description = "Study name; an existing study is resumed if its"
            + " spec matches (default: <model>-<dataset>-<train size>-<validation size>, <model> being the demo"
            + " model's name or the model folder's name; -versus-<B> or -<DIR name> appended for --vector-source"
            + " cross-model or DIR).")
    String studyName;
    @Option(names = "--output-dir", paramLabel = "DIR", description = "Artifacts (default: runs/<study-name>).")
    Path outputDir;
    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Activation cache (default: <output-dir>/cache).")
    Path cacheDir;
    @Option(names = "--n-workers", paramLabel = "K", defaultValue = "1", description = "Processes sharing the study; K-1 children are started (default: ${DEFAULT-VALUE}).")
    int nWorkers;
    @Option(names = "--allow-retest", description = "Evaluate the test split again although this study already did (recorded in the study).")
    boolean allowRetest;
    @Option(names = "--train-size", paramLabel = "N", description = "Train items: steering vectors, k-shot exemplars (default: 32 debug, 512 full).")
    Integer trainSize;
    @Option(names = "--val-size", paramLabel = "N", description = "Validation items: the search (default: 24 debug, 256 full).")
    Integer valSize;
    @Option(names = "--test-size", paramLabel = "N", description = "Test items (full mode default: all).") Integer testSize;
    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Study seed: sampler, per-item sampling, bootstrap (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--split-seed", paramLabel = "S", description = "Seed of the split draw (default: --seed).")
    Long splitSeed;
    @Option(names = "--prompt", description = "zero-shot-cot, k-shot, chat or question-answer (default: question-answer for"
            + " the demo model, else zero-shot-cot in debug, k-shot in full).")
    PromptKind prompt;
    @Option(names = "--k-shot", paramLabel = "K", description = "Exemplars for --prompt k-shot, from train (default: 5).")
    Integer kShot;
    @Option(names = "--pairs", description = "Contrast pairs of the CAA vectors: gold_vs_corrupted_answer,"
            + " answer_off_by_one (short; for small contexts) or careful_vs_hasty (worked chain against the shortcut of"
            + " summing every number) (default: careful_vs_hasty for a demo model, else gold_vs_corrupted_answer).")
    PairBuilder pairs;
    @Option(names = "--layers", paramLabel = "A-B", description = "Layers to search: A-B, A, or auto (the span of the 3 layers whose correct-vs-corrupted probes score the best AUC on train; default: all).")
    String layers;
    @Option(names = "--search-space", paramLabel = "JSON", description = "Override any of {\"layer\":[a,b],\"alpha\":[-4,4],\"method\":[\"CAA\",\"DAC\"],\"temperature\":[0,1],\"top_p\":[0.5,0.95]}.")
    String searchSpace;
    @Option(names = "--objectives", split = ",", paramLabel = "O,O", description = "accuracy (the default: one"
            + " objective, pruned search) or accuracy,tokens: validation accuracy (max) and mean generated tokens (min),"
            + " a multi-objective study whose Pareto front is Optuna's best_trials; nothing is pruned.")
    List<ObjectiveKind> objectives;
    @Option(names = "--select", paramLabel = "RULE", description = "Multi-objective: the pre-registered choice of the"
            + " one configuration tested, from the validation front (stored in the study; fixed on resume): knee,"
            + " max-accuracy-within-tokens:R (tokens <= R x the unsteered trial #0's) or min-tokens-within-accuracy:D"
            + " (accuracy >= trial #0's - D) (default: knee).")
    SelectionRule select;
    @Option(names = "--test-also", paramLabel = "K", description = "Multi-objective: also test the next K front points"
            + " by the same rule, with Holm-corrected p-values (default: 0).")
    Integer testAlso;
    @Option(names = "--sampler", defaultValue = "tpe", description = "tpe, random, grid or nsga2 (default:"
            + " ${DEFAULT-VALUE}; several objectives: Optuna's multi-objective TPE).")
    SamplerKind sampler;
    @Option(names = "--population-size", paramLabel = "N", description = "nsga2: trials per generation (default: 50,"
            + " or max(4, n_trials / 4) when --n-trials is smaller).")
    Integer populationSize;
    @Option(names = "--crossover", description = "nsga2: uniform or sbx (default: uniform, as Optuna; sbx did better"
            + " on all-float spaces, worse on the steering-shaped one: see README).")
    CrossoverKind crossover;
    @Option(names = "--crossover-prob", paramLabel = "P", description = "nsga2: probability of crossover (default: 0.9).")
    Double crossoverProb;
    @Option(names = "--mutation-prob", paramLabel = "P", description = "nsga2: per-param mutation probability"
            + " (default: 1 / number of params).")
    Double mutationProb;
    @Option(names = "--swapping-prob", paramLabel = "P", description = "nsga2, uniform crossover: per-param swap"
            + " probability (default: 0.5).")
    Double swappingProb;
    @Option(names = "--sampler-startup-trials", paramLabel = "N", description = "TPE random start-up trials (default: 4 debug, 8 debug on a demo model, 10 full).")
    Integer samplerStartup;
    @Option(names = "--pruner", description = "median, percentile or none (default: median; none, the only choice, for"
            + " --objectives accuracy,tokens).")
    PrunerKind pruner;
    @Option(names = "--pruner-startup-trials", paramLabel = "N", description = "Completed trials before pruning starts (default: 2 debug, 5 full).")
    Integer prunerStartup;
    @Option(names = "--pruner-warmup-steps", paramLabel = "N", defaultValue = "0", description = "Items graded before a trial may be pruned (default: ${DEFAULT-VALUE}).")
    int prunerWarmup;
    @Option(names = "--percentile", defaultValue = "25", description = "Percentile of --pruner percentile (default: ${DEFAULT-VALUE}).")
    double percentile;
    @Option(names = "--steer-positions", paramLabel = "P",
            description = "Where CAA adds its vector: from_last_prompt_token, last_prompt_token (that token only: the"
                    + " one whose output picks the first answer token), generated, or all (the prompt too; each trial"
                    + " then reuses the blocks below its layer and reruns the rest of the prompt). DAC always steers"
                    + " from the last prompt token (default: last_prompt_token for a demo model, else"
                    + " from_last_prompt_token).")
    SteerPositions steerPositions;
    @Mixin
    VectorSourceOptions vectorSource;
    @Option(names = "--metric", defaultValue = "flexible", description = "flexible or strict grading (default: ${DEFAULT-VALUE}).")
    Metric metric;
    @Option(names = "--chunks", paramLabel = "N", defaultValue = "4", description = "Validation chunks per trial; the trial reports after each (default: ${DEFAULT-VALUE}).")
    int chunks;
    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Generated tokens per item (default: 112 for the demo"
            + " model, else 48 debug, 256 full).")
    Integer maxNewTokens;
    @Option(names = "--bench-reuse", paramLabel = "REPEATS", arity = "0..1", fallbackValue = "3",
            description = "Instead of a study: time a validation pass of trial 1 vs later trials (prompt reuse; CAA from the last prompt token and at all positions) and exit.")
    Integer benchReuse;
    @Option(names = "--worker", hidden = true)
    boolean worker;
    @Option(names = "--run-id", hidden = true)
    String runId;
    @Option(names = "--worker-index", hidden = true)
    Integer workerIndex;
    @Option(names = "--inject-trial-failure", hidden = true, paramLabel = "FAULT", defaultValue = "none",
            description = "Self-test only: first-attempt (each param set fails once, its retry runs) or always (every"
                    + " trial's objective throws, so the retries run out).")
    TrialFault injectTrialFailure;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean full = mode == Mode.FULL;
        if (maxTrials != null && maxTrials < 1) {
            throw UserFacingException.usage("Invalid --max-trials " + maxTrials, "the study needs room for at least"
                    + " one trial", "Pass --max-trials 1 or more, or leave it out for no cap.");
        }
        if (maxRetry < 0) {
            throw UserFacingException.usage("Invalid --max-retry " + maxRetry, "a count of retries cannot be negative",
                    "Pass --max-retry 0 (never retry) or more.");
        }
        Path modelDir = model.resolve().toAbsolutePath().normalize();
        try (OptimizePipeline pipeline = OptimizePipeline.load(modelDir, err)) {
            StudySpec studySpec = resolve(full, modelDir, pipeline.numLayers(), pipeline.modelFingerprint(),
                    DemoModelTraining.isDemoModel(modelDir));
            Path dataDir = data.dataDir();
            String name = studyName != null ? studyName : defaultStudyName(model.studyNamePart(modelDir), studySpec)
                    + vectorSource.studyNameSuffix();
            Path outDir = (outputDir != null ? outputDir : Path.of("runs", name)).toAbsolutePath().normalize();
            Path cache = cacheDir != null ? cacheDir : outDir.resolve("cache");
            if (studySpec.dataset() == DatasetName.GSM8K) {
                data.ensure(DatasetName.GSM8K, "train");
                data.ensure(DatasetName.GSM8K, "test");
            } else if (studySpec.dataset() == DatasetName.MATH500) {
                data.ensure(DatasetName.MATH500, "test");
            }
            if (layers != null && layers.strip().equalsIgnoreCase("auto")) {
                createDirectories(outDir);
                int[] range = pipeline.autoLayers(studySpec, dataDir, cache, AUTO_LAYERS, outDir);
                studySpec = studySpec.withSearchSpace(studySpec.searchSpace().withLayers(range[0], range[1]));
            }
            if (benchReuse != null) {
                ReuseBenchmark.Result r = pipeline.benchReuse(studySpec, dataDir, cache, Math.max(1, benchReuse));
                out.print(r.table());
                out.flush();
                return 0;
            }
            createDirectories(outDir);
            StorageUrl url = storageUrl(outDir);
            // the whole command line as given ("optimize" included); a worker resolves the same spec from it
            List<String> workerArgs = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
            if (!workerArgs.contains("optimize")) {
                workerArgs.add(0, "optimize");
            }
            RunOptions opts = new RunOptions(name, url, outDir, dataDir, cache, allowRetest, worker, runId, maxTrials,
                    workerIndex == null ? 0 : workerIndex, workerArgs, maxRetry, injectTrialFailure);
            OptimizePipeline.Outcome o = pipeline.run(studySpec, opts, out);
            if (o != null) {
                printSummary(out, studySpec, o, url);
            }
            return 0;
        }
    }

    private StorageUrl storageUrl(Path outDir) {
        String s = storage != null ? storage : "sqlite:///" + outDir.resolve("study.db");
        try {
            return StorageUrl.parse(s);
        } catch (IllegalArgumentException e) {
            throw UserFacingException.usage(e.getMessage(), null, null);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw UserFacingException.usage("Cannot create --output-dir " + dir, e.toString(), null);
        }
    }

    private static String defaultStudyName(String model, StudySpec s) {
        return model + "-" + s.dataset().cliName() + "-" + s.splits().train() + "-" + s.splits().validation();
    }

    /**
     * New tokens per item for a demo model: the longest synthetic prompt (204 characters, at difficulty 4) plus this
     * fills its 320 positions, and every one- and two-step solution (at most 112 characters) fits.
     */
    static final int DEMO_MAX_NEW_TOKENS = 112;

    /**
     * The resolved spec from the mode's defaults and the options.
     *
     * @param demo the model was trained by {@code train-demo-model}: its own prompt format and answer length are the
     *             defaults
     */
    StudySpec resolve(boolean full, Path modelDir, int numLayers, String fingerprint, boolean demo) {
        DatasetName ds = dataset != null ? dataset : full ? DatasetName.GSM8K : DatasetName.SYNTHETIC;
        PromptKind pr = prompt != null ? prompt : demo ? PromptKind.QUESTION_ANSWER
                : full ? PromptKind.K_SHOT : PromptKind.ZERO_SHOT_COT;
        int k = pr == PromptKind.K_SHOT ? (kShot != null ? kShot : 5) : 0;
        boolean demoDebug = demo && !full;
        StudySpec.Splits splits = new StudySpec.Splits(
                trainSize != null ? trainSize : full ? 512 : demoDebug ? DEMO_DEBUG_TRAIN : 32,
                valSize != null ? valSize : full ? 256 : demoDebug ? DEMO_DEBUG_VALIDATION : 24,
                testSize != null ? testSize : full ? null : demoDebug ? DEMO_DEBUG_TEST : 48,
                splitSeed != null ? splitSeed : seed);
        PairBuilder pb = pairs != null ? pairs : demo ? PairBuilder.CAREFUL_VS_HASTY : PairBuilder.GOLD_VS_CORRUPTED_ANSWER;
        SteerPositions positions = steerPositions != null ? steerPositions
                : demo ? SteerPositions.LAST_PROMPT_TOKEN : SteerPositions.FROM_LAST_PROMPT_TOKEN;
        SearchSpaceSpec space = SearchSpaceSpec.defaults(numLayers);
        if (searchSpace != null) {
            space = Specs.overlay(space, searchSpace);
        }
        if (layers != null && !layers.strip().equalsIgnoreCase("auto")) {
            space = withLayers(space, layers.strip());
        }
        space.requireLayersWithin(numLayers);
        StudySpec.Budget budget = new StudySpec.Budget(nTrials != null ? nTrials : full ? 50 : demoDebug ? DEMO_DEBUG_TRIALS : 12,
                timeout, nWorkers);
        MultiObjectiveSpec multi = multiObjective();
        StudySpec.Search search = new StudySpec.Search(sampler,
                samplerStartup != null ? samplerStartup : full ? 10 : demoDebug ? DEMO_DEBUG_STARTUP_TRIALS : 4,
                pruner != null ? pruner : multi != null ? PrunerKind.NONE : PrunerKind.MEDIAN,
                prunerStartup != null ? prunerStartup : full ? 5 : 2, prunerWarmup, percentile,
                nsga2(budget.nTrials()));
        return new StudySpec(modelDir.toString(), fingerprint, ds, splits, pr, k, pb, space, search, metric, chunks,
                maxNewTokens != null ? maxNewTokens : demo ? DEMO_MAX_NEW_TOKENS : full ? 256 : 48, seed, budget,
                positions, multi, vectorSource.resolve());
    }

    /** The multi-objective part of the spec: null for {@code --objectives accuracy} (or none). */
    private MultiObjectiveSpec multiObjective() {
        if (objectives == null || objectives.equals(List.of(ObjectiveKind.ACCURACY))) {
            if (select != null || testAlso != null) {
                throw UserFacingException.usage((select != null ? "--select" : "--test-also") + " needs several"
                        + " objectives", "it chooses among the points of a Pareto front; a single-objective study"
                        + " tests its best trial", "Add --objectives accuracy,tokens, or drop the option.");
            }
            return null;
        }
        return new MultiObjectiveSpec(objectives, select != null ? select : SelectionRule.knee(),
                testAlso != null ? testAlso : 0);
    }

    /**
     * NSGA-II's options for {@code --sampler nsga2} (else null; NSGA-II options without it are refused). Without
     * {@code --population-size}, a run of fewer trials than Optuna's population of 50 gets max(4, n_trials / 4), so
     * that it breeds at least a few generations, and says so on stderr.
     */
    private StudySpec.Nsga2 nsga2(int trials) {
        boolean given = populationSize != null || crossover != null || crossoverProb != null || mutationProb != null
                || swappingProb != null;
        if (sampler != SamplerKind.NSGA2) {
            if (given) {
                throw UserFacingException.usage("NSGA-II options given with --sampler " + sampler.wireName(),
                        "--population-size, --crossover, --crossover-prob, --mutation-prob and --swapping-prob"
                                + " configure nsga2 only", "Add --sampler nsga2, or drop them.");
            }
            return null;
        }
        StudySpec.Nsga2 d = StudySpec.Nsga2.defaults();
        int population = populationSize != null ? populationSize : d.populationSize();
        if (populationSize == null && trials < population) {
            population = Math.max(4, trials / 4);
            spec.commandLine().getErr().println("Note: --n-trials " + trials + " is below NSGA-II's default"
                    + " population of " + d.populationSize() + "; using --population-size " + population
                    + " (max(4, n_trials / 4)). Pass --population-size to choose; it is part of the study and fixed"
                    + " on resume.");
        }
        return new StudySpec.Nsga2(population, crossover != null ? crossover : d.crossover(),
                crossoverProb != null ? crossoverProb : d.crossoverProb(), mutationProb,
                swappingProb != null ? swappingProb : d.swappingProb());
    }

    /**
     * Debug split sizes on a demo model, which is fast: a test split large enough that a 10-point gain is significant
     * (exact McNemar) and a validation split that tells the search's trials apart.
     */
    static final int DEMO_DEBUG_TRAIN = 64;
    static final int DEMO_DEBUG_VALIDATION = 100;
    static final int DEMO_DEBUG_TEST = 200;

    /**
     * Debug trials on a demo model, and how many of them are random start-up trials: enough for TPE to find the
     * planted effect in a five-parameter space (layer, α, method, temperature, DAC's top_p) while the whole job stays
     * within its time budget; studies/README.md, "The demo world", has the recovery measured at 12 and at 24.
     */
    static final int DEMO_DEBUG_TRIALS = 24;
    static final int DEMO_DEBUG_STARTUP_TRIALS = 8;

    /** Layers {@code --layers auto} keeps (by probe AUC); the search spans them. */
    static final int AUTO_LAYERS = 3;

    private static final Pattern LAYERS = Pattern.compile("(\\d+)(?:-(\\d+))?");

    static SearchSpaceSpec withLayers(SearchSpaceSpec space, String layers) {
        Matcher m = LAYERS.matcher(layers);
        if (!m.matches()) {
            throw UserFacingException.usage("Invalid --layers '" + layers + "'", "expected A-B, A or auto",
                    "Example: --layers 2-5.");
        }
        int a = Integer.parseInt(m.group(1));
        int b = m.group(2) == null ? a : Integer.parseInt(m.group(2));
        if (b < a) {
            throw UserFacingException.usage("Invalid --layers '" + layers + "'", "the range is empty", "Use A <= B.");
        }
        return space.withLayers(a, b);
    }

    private static void printSummary(PrintWriter out, StudySpec s, OptimizePipeline.Outcome o, StorageUrl url) {
        TestEvaluation t = o.test();
        out.printf(Locale.ROOT, "Study %s: %s trials in %.1f s (%s)%n", o.study().name(),
                o.states().values().stream().mapToLong(Long::longValue).sum(), o.searchSeconds(), states(o.states()));
        if (o.front() != null) {
            FrontSummary.print(out, o.front(), s.metric().wireName());
            controlVectorAndArtifacts(out, o, url);
            return;
        }
        out.printf(Locale.ROOT, "Best trial #%d: %s, validation %s accuracy %.4f%n", o.best().number(),
                ParamMapping.fromParams(o.best().params()).toParams(), s.metric().wireName(), o.best().value());
        var b = t.baselineAccuracy();
        var w = t.bestAccuracy();
        out.printf(Locale.ROOT, "Test (%d items, %s, evaluated once):%n", t.base().size(), s.metric().wireName());
        if (t.baselineIsGreedy()) {
            arm(out, "baseline (no steering, greedy) ", b, "");
        } else {
            arm(out, "baseline (no steering, T=" + t.baseline().temperature() + ", the best's sampling seeds) ", b, "");
            arm(out, "greedy baseline (no steering, greedy) ", t.greedyAccuracy(),
                    "; the gain is measured against the baseline above");
        }
        arm(out, "best configuration             ", w, "");
        BootstrapInterval g = t.gain();
        var mc = t.mcNemar();
        var mde = t.minimumDetectableEffect();
        out.printf(Locale.ROOT, "  gain %+.4f (paired bootstrap 95%% CI [%+.4f, %+.4f]); exact McNemar p = %.4g"
                + " (b=%d, c=%d); minimum detectable effect %s%n", g.observed(), g.lower(), g.upper(), mc.pValue(),
                mc.b(), mc.c(), mde.isPresent() ? String.format(Locale.ROOT, "%.4f", mde.getAsDouble())
                        : mc.discordant() == 0 ? "n/a (the arms never disagree)"
                        : "n/a (too few discordant items for any effect to be detectable at this size)");
        controlVectorAndArtifacts(out, o, url);
    }

    private static void controlVectorAndArtifacts(PrintWriter out, OptimizePipeline.Outcome o, StorageUrl url) {
        var cv = o.controlVector();
        out.println(cv.file() != null ? "llama.cpp control vector (layer " + cv.layer() + ", scale = alpha): "
                + cv.llamaCppArgs().replace(cv.file(), o.outputDir().resolve(cv.file()).toString())
                : "llama.cpp control vector: none (" + cv.note() + ")");
        out.printf("Artifacts: %s (study database %s)%n", o.outputDir(), url.display());
        out.flush();
    }

    /** One test arm's line: label, accuracy, correct/n and Wilson 95% CI. */
    private static void arm(PrintWriter out, String label, dev.steeropt.eval.stats.Accuracy a, String suffix) {
        out.printf(Locale.ROOT, "  %s %.4f  (%d/%d, Wilson 95%% CI [%.4f, %.4f])%s%n", label, a.rate(), a.correct(), a.n(),
                a.ci95().lower(), a.ci95().upper(), suffix);
    }

    private static String states(Map<String, Long> states) {
        List<String> parts = new ArrayList<>();
        states.forEach((k, v) -> {
            if (v > 0) {
                parts.add(v + " " + k);
            }
        });
        return String.join(", ", parts);
    }
}
