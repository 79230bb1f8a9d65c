package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.studies.errors.UserFacingException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Everything that defines a steering study, resolved (no defaults left to fill in) and validated: invalid specs
 * cannot exist. Stored as JSON in the study's system attribute {@link Specs#ATTR}; resuming a study with a spec whose
 * {@link Specs#identity identity} differs is an error that shows the diff. The {@link Budget} (how many trials, how
 * long, how many workers) is not part of the identity: a study may be resumed with a larger budget.
 *
 * @param model          model directory, absolute
 * @param modelSha256    content fingerprint of the model files (config, weights, tokenizer)
 * @param dataset        {@code gsm8k} or {@code synthetic} ({@link #DATASETS})
 * @param splits         split sizes and the split seed
 * @param prompt         prompt variant: {@code zero-shot-cot}, {@code k-shot}, {@code chat} or {@code question-answer}
 *                       (the demo model's format)
 * @param kShot          exemplars for {@code k-shot} (drawn from the train split), else 0
 * @param pairBuilder    contrast pairs of the CAA vectors: {@code gold_vs_corrupted_answer} (prompt + gold solution vs
 *                       the same with the final answer off by one, the default) or {@code answer_off_by_one}
 *                       (prompt + "The answer is N." vs N+1: short, for models with few positions)
 * @param searchSpace    the search space
 * @param search         sampler and pruner
 * @param metric         {@code flexible} (default) or {@code strict} grading for the objective
 * @param chunks         validation chunks per trial; the trial reports after each (so the pruner can act)
 * @param maxNewTokens   generated tokens per item at most
 * @param seed           the study seed: sampler seed, per-item sampling seeds, bootstrap seed
 * @param budget         trials, timeout and workers of this run
 * @param steerPositions where CAA adds its vector: {@code from_last_prompt_token} (the default; also what a spec stored
 *                       before this field existed means), {@code generated} or {@code all} (the whole prompt too, so
 *                       each trial reruns the prompt through the blocks from its layer on). DAC always steers from the
 *                       last prompt token, as its definition says.
 * @param multiObjective the objectives, selection rule and {@code --test-also} of a multi-objective study; null (and
 *                       absent from the JSON, so single-objective specs keep their identity) for the accuracy search
 * @param vectorSource   where the steering vectors come from; {@link VectorSourceSpec#CONTRAST} (the default, also what a
 *                       spec stored before this field existed means) is absent from the JSON, so those specs keep
 *                       their identity
 */
public record StudySpec(String model, @JsonProperty("model_sha256") String modelSha256, DatasetName dataset, Splits splits,
        PromptKind prompt, @JsonProperty("k_shot") int kShot, @JsonProperty("pair_builder") PairBuilder pairBuilder,
        @JsonProperty("search_space") SearchSpaceSpec searchSpace,
        Search search, Metric metric, int chunks, @JsonProperty("max_new_tokens") int maxNewTokens, long seed,
        Budget budget, @JsonProperty("steer_positions") @JsonSerialize(using = PositionsJson.Writer.class)
        @JsonDeserialize(using = PositionsJson.Reader.class) SteerPositions steerPositions,
        @JsonProperty("multi_objective") @JsonInclude(JsonInclude.Include.NON_NULL) MultiObjectiveSpec multiObjective,
        @JsonProperty("vector_source") @JsonInclude(value = JsonInclude.Include.CUSTOM,
                valueFilter = VectorSourceSpec.OmitContrast.class) VectorSourceSpec vectorSource) {

    /** Datasets a study can run on (they have a train split to draw train and validation items from). */
    public static final List<DatasetName> DATASETS = List.of(DatasetName.GSM8K, DatasetName.SYNTHETIC,
            DatasetName.MATH500);

    public StudySpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(modelSha256, "modelSha256");
        Objects.requireNonNull(splits, "splits");
        Objects.requireNonNull(searchSpace, "searchSpace");
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(budget, "budget");
        if (dataset == null || !DATASETS.contains(dataset)) {
            throw UserFacingException.usage(dataset == null ? "No dataset given" : "A study cannot run on " + dataset,
                    "a study draws train and validation items from a train split (MATH-500's only split is cut by"
                            + " the split seed); studies run on "
                            + DATASETS.stream().map(DatasetName::cliName).collect(Collectors.joining(", ")),
                    "Pick one of them (score --dataset grades other datasets).");
        }
        required("prompt variant", prompt, PromptKind.class);
        required("metric", metric, Metric.class);
        required("pair builder", pairBuilder, PairBuilder.class);
        steerPositions = steerPositions == null ? SteerPositions.FROM_LAST_PROMPT_TOKEN : steerPositions;
        vectorSource = vectorSource == null ? VectorSourceSpec.CONTRAST : vectorSource;
        if (prompt == PromptKind.K_SHOT ? kShot < 1 || kShot > splits.train() : kShot != 0) {
            throw UserFacingException.usage("Invalid k-shot count " + kShot + " for prompt " + prompt.wireName(),
                    "k-shot needs 1 <= k <= train size (" + splits.train() + "); other prompts take k = 0",
                    "Set --k-shot accordingly.");
        }
        if (chunks < 1 || chunks > splits.validation()) {
            throw UserFacingException.usage("Invalid chunk count " + chunks, "each of the " + splits.validation()
                    + " validation items' chunks needs at least one item", "Use 1 <= --chunks <= --val-size.");
        }
        if (multiObjective != null && search.pruner() != PrunerKind.NONE) {
            throw UserFacingException.usage("--pruner " + search.pruner().wireName() + " cannot prune a multi-objective"
                    + " study", "pruning compares one running value, and a study with several objectives records no"
                    + " intermediate values (Optuna refuses report() in them)", "Leave --pruner out (multi-objective"
                    + " studies default to none) or pass --pruner none.");
        }
        if (multiObjective != null && (!searchSpace.alpha().contains(0) || !searchSpace.temperature().contains(0))) {
            throw UserFacingException.usage("A multi-objective study needs alpha = 0 and temperature = 0 in its search"
                    + " space", "its selection rules compare with the unsteered greedy baseline, trial #0; the space"
                    + " has alpha " + searchSpace.alpha() + ", temperature " + searchSpace.temperature(),
                    "Widen --search-space to include 0 for both.");
        }
        if (maxNewTokens < 1) {
            throw UserFacingException.usage("Invalid --max-new-tokens " + maxNewTokens, "at least one token is needed",
                    null);
        }
    }

    /** A spec with the default steer positions ({@code from_last_prompt_token}). */
    public StudySpec(String model, String modelSha256, DatasetName dataset, Splits splits, PromptKind prompt, int kShot,
            PairBuilder pairBuilder, SearchSpaceSpec searchSpace, Search search, Metric metric, int chunks, int maxNewTokens,
            long seed, Budget budget) {
        this(model, modelSha256, dataset, splits, prompt, kShot, pairBuilder, searchSpace, search, metric, chunks,
                maxNewTokens, seed, budget, null, null, null);
    }

    /** A single-objective spec (no {@link #multiObjective}). */
    public StudySpec(String model, String modelSha256, DatasetName dataset, Splits splits, PromptKind prompt, int kShot,
            PairBuilder pairBuilder, SearchSpaceSpec searchSpace, Search search, Metric metric, int chunks, int maxNewTokens,
            long seed, Budget budget, SteerPositions steerPositions) {
        this(model, modelSha256, dataset, splits, prompt, kShot, pairBuilder, searchSpace, search, metric, chunks,
                maxNewTokens, seed, budget, steerPositions, null, null);
    }

    /** A spec whose vectors come from its contrast pairs ({@link VectorSourceSpec#CONTRAST}). */
    public StudySpec(String model, String modelSha256, DatasetName dataset, Splits splits, PromptKind prompt, int kShot,
            PairBuilder pairBuilder, SearchSpaceSpec searchSpace, Search search, Metric metric, int chunks, int maxNewTokens,
            long seed, Budget budget, SteerPositions steerPositions, MultiObjectiveSpec multiObjective) {
        this(model, modelSha256, dataset, splits, prompt, kShot, pairBuilder, searchSpace, search, metric, chunks,
                maxNewTokens, seed, budget, steerPositions, multiObjective, null);
    }

    /** The study's directions: accuracy maximised, or those of the {@link #multiObjective} objectives. */
    @JsonIgnore
    public List<dev.steeropt.optimizer.study.StudyDirection> directions() {
        return multiObjective == null ? List.of(dev.steeropt.optimizer.study.StudyDirection.MAXIMIZE)
                : multiObjective.directions();
    }

    /** A copy with other steer positions. */
    public StudySpec withSteerPositions(SteerPositions positions) {
        return new StudySpec(model, modelSha256, dataset, splits, prompt, kShot, pairBuilder, searchSpace, search, metric,
                chunks, maxNewTokens, seed, budget, positions, multiObjective, vectorSource);
    }

    private static <E extends Enum<E> & WireName> void required(String what, E value, Class<E> type) {
        if (value == null) {
            throw UserFacingException.usage("No " + what + " given", "known: " + String.join(", ", WireName.names(type)),
                    "Pick one of them.");
        }
    }

    /** Steering vectors and a k-shot prompt need train items; a search needs validation items. */
    @JsonIgnore
    public boolean usesTrainExemplars() {
        return prompt == PromptKind.K_SHOT;
    }

    /** A copy with another search space. */
    public StudySpec withSearchSpace(SearchSpaceSpec s) {
        return new StudySpec(model, modelSha256, dataset, splits, prompt, kShot, pairBuilder, s, search, metric, chunks,
                maxNewTokens, seed, budget, steerPositions, multiObjective, vectorSource);
    }

    /** A copy with another vector source. */
    public StudySpec withVectorSource(VectorSourceSpec v) {
        return new StudySpec(model, modelSha256, dataset, splits, prompt, kShot, pairBuilder, searchSpace, search, metric, chunks,
                maxNewTokens, seed, budget, steerPositions, multiObjective, v);
    }

    /** A copy with another budget (resuming with more trials keeps the identity). */
    public StudySpec withBudget(Budget b) {
        return new StudySpec(model, modelSha256, dataset, splits, prompt, kShot, pairBuilder, searchSpace, search, metric, chunks,
                maxNewTokens, seed, b, steerPositions, multiObjective, vectorSource);
    }

    /**
     * Split sizes. Train items build the steering vectors (and k-shot exemplars), validation items drive the search,
     * test items are evaluated once at the end.
     *
     * @param train      train items (from GSM8K train), {@code >= 1}
     * @param validation validation items (from GSM8K train, disjoint from train), {@code >= 1}
     * @param test       test items (from GSM8K test), {@code >= 1}; null means all of them
     * @param seed       seed of the draw
     */
    public record Splits(int train, int validation, Integer test, long seed) {
        public Splits {
            if (train < 1 || validation < 1 || (test != null && test < 1)) {
                throw UserFacingException.usage("Invalid split sizes train=" + train + ", validation=" + validation
                        + ", test=" + test, "every split needs at least one item", "Raise --train-size, --val-size,"
                        + " --test-size.");
            }
        }
    }

    /**
     * Sampler and pruner, by name (unknown names are errors listing the known ones, never a fallback).
     *
     * @param sampler             {@code tpe} (our default TpeSampler), {@code random} or {@code grid}
     * @param samplerStartupTrials TPE's random start-up trials
     * @param pruner              {@code median}, {@code percentile} or {@code none}
     * @param prunerStartupTrials trials that must finish before the pruner prunes
     * @param prunerWarmupSteps   steps (items graded) before a trial may be pruned
     * @param percentile          the percentile of {@code percentile} (e.g. 25: prune below the lower quartile)
     * @param nsga2               NSGA-II's options when the sampler is {@code nsga2}, else null (and absent)
     */
    public record Search(SamplerKind sampler, @JsonProperty("sampler_startup_trials") int samplerStartupTrials,
            PrunerKind pruner, @JsonProperty("pruner_startup_trials") int prunerStartupTrials,
            @JsonProperty("pruner_warmup_steps") int prunerWarmupSteps, double percentile,
            @JsonInclude(JsonInclude.Include.NON_NULL) Nsga2 nsga2) {

        /** A search without NSGA-II options (any sampler but {@code nsga2}). */
        public Search(SamplerKind sampler, int samplerStartupTrials, PrunerKind pruner, int prunerStartupTrials,
                int prunerWarmupSteps, double percentile) {
            this(sampler, samplerStartupTrials, pruner, prunerStartupTrials, prunerWarmupSteps, percentile,
                    sampler == SamplerKind.NSGA2 ? Nsga2.defaults() : null);
        }

        public Search {
            if ((sampler == SamplerKind.NSGA2) != (nsga2 != null)) {
                throw new IllegalArgumentException("NSGA-II options go with sampler nsga2 only; sampler " + sampler
                        + ", options " + nsga2);
            }
            required("sampler", sampler, SamplerKind.class);
            required("pruner", pruner, PrunerKind.class);
            if (samplerStartupTrials < 0 || prunerStartupTrials < 0 || prunerWarmupSteps < 0) {
                throw UserFacingException.usage("Negative start-up or warm-up count", "they count trials or steps",
                        null);
            }
            if (!(percentile > 0 && percentile < 100)) {
                throw UserFacingException.usage("Invalid percentile " + percentile, "it lies in (0, 100)", null);
            }
        }
    }

    /**
     * NSGA-II's options, under Optuna's {@code NSGAIISampler} names.
     *
     * @param populationSize trials per generation (>= 2; Optuna's default 50)
     * @param crossover      {@code uniform} (the default, as Optuna's) or {@code sbx}
     * @param crossoverProb  probability that a child is bred by crossover (Optuna's default 0.9)
     * @param mutationProb   probability of re-drawing each param of a child; null = 1 / number of params (Optuna's)
     * @param swappingProb   uniform crossover's per-param swap probability (Optuna's default 0.5)
     */
    public record Nsga2(@JsonProperty("population_size") int populationSize, CrossoverKind crossover,
            @JsonProperty("crossover_prob") double crossoverProb,
            @JsonProperty("mutation_prob") @JsonInclude(JsonInclude.Include.NON_NULL) Double mutationProb,
            @JsonProperty("swapping_prob") double swappingProb) {
        /** Optuna's default population size. */
        public static final int DEFAULT_POPULATION = 50;

        public Nsga2 {
            required("crossover", crossover, CrossoverKind.class);
            if (populationSize < 2) {
                throw UserFacingException.usage("Invalid --population-size " + populationSize, "crossover needs two"
                        + " parents in a generation", "Pass --population-size 2 or more.");
            }
            for (double p : mutationProb == null ? new double[] {crossoverProb, swappingProb}
                    : new double[] {crossoverProb, mutationProb, swappingProb}) {
                if (!(p >= 0 && p <= 1)) {
                    throw UserFacingException.usage("Invalid NSGA-II probability " + p, "--crossover-prob,"
                            + " --mutation-prob and --swapping-prob are probabilities", "Pass values in [0, 1].");
                }
            }
        }

        /**
         * Optuna's defaults, uniform crossover included: on the steering-shaped benchmark space (int layer,
         * categorical method) SBX's fronts were worse than Optuna's (README, "Multi-objective"), so a study uses
         * SBX only when asked ({@code --crossover sbx}), although the optimizer's NsgaIISampler defaults to it.
         */
        public static Nsga2 defaults() {
            return new Nsga2(DEFAULT_POPULATION, CrossoverKind.UNIFORM, 0.9, null, 0.5);
        }
    }

    /**
     * What one run may spend; not part of the study's identity.
     *
     * @param nTrials        trials to run in this invocation (all workers together), {@code >= 1}
     * @param timeoutSeconds stop starting trials after this many seconds, 0 = no limit
     * @param nWorkers       processes working on the study, {@code >= 1}
     */
    public record Budget(@JsonProperty("n_trials") int nTrials, @JsonProperty("timeout_seconds") long timeoutSeconds,
            @JsonProperty("n_workers") int nWorkers) {
        public Budget {
            if (nTrials < 1 || timeoutSeconds < 0 || nWorkers < 1) {
                throw UserFacingException.usage("Invalid budget n_trials=" + nTrials + ", timeout=" + timeoutSeconds
                        + ", n_workers=" + nWorkers, "need n_trials >= 1, timeout >= 0, n_workers >= 1", null);
            }
        }
    }
}
