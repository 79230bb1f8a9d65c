package dev.steeropt.studies.analysis.probes;

import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.CompletionMode;
import dev.steeropt.studies.analysis.AnalysisInputs;
import dev.steeropt.studies.analysis.AnalysisModel;
import dev.steeropt.studies.analysis.AnalysisRun;
import dev.steeropt.studies.analysis.reads.Completion;
import dev.steeropt.studies.analysis.reads.Completions;
import dev.steeropt.studies.analysis.reads.ReadMode;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.pipeline.VectorBuilder;
import dev.steeropt.studies.spec.PairBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt analyze probes}: layer-wise linear probes of a label on the train split's residual streams (reads through the
 * activation cache in {@code --out/cache}, both read positions), per
 * model, per family; both models on one plot. Writes {@code probes.json}, {@code probes.png} and
 * {@code probes-families-<model>.png}.
 */
@Command(name = "probes", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Layer-wise logistic-regression probes (Smile) of a label on the train split's residual streams"
                + " (blocks.{i}.hook_resid_post): classes balanced by down-sampling, k-fold cross-validation, accuracy"
                + " with Wilson CI and AUC per layer, per family; with --versus both models on one plot."})
public final class ProbesCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    AnalysisInputs inputs;

    @Mixin
    AnalysisInputs.Versus versus;

    @Option(names = "--label", required = true, paramLabel = "correct|mode|difficulty|family|gold_vs_corrupted_answer",
            description = "What the probes predict: the model's own greedy answer correct, its mode (careful/hasty,"
                    + " the demo world's rule), the difficulty, the family (template or subject), or the gold vs a"
                    + " corrupted answer appended to the prompt (the --layers auto contrast).")
    String label;

    @Option(names = "--read", defaultValue = "last_prompt_token", paramLabel = "last_prompt_token|mean_generated",
            description = "Where each sequence is read (default: ${DEFAULT-VALUE}).")
    String read;

    @Option(names = "--folds", defaultValue = "5", paramLabel = "K", description = "Cross-validation folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--lambda", defaultValue = "" + CrossValidatedProbes.DEFAULT_LAMBDA, paramLabel = "L",
            description = "L2 penalty of the logistic regression on standardised features (default: ${DEFAULT-VALUE}).")
    double lambda;

    @Override
    public Integer call() {
        ProbeLabel what = ProbeLabel.parse(label);
        ReadMode where = ReadMode.parse(read);
        if (where == ReadMode.MEAN_GENERATED && what == ProbeLabel.GOLD_VS_CORRUPTED_ANSWER) {
            throw UserFacingException.usage("--read mean_generated does not apply to --label gold_vs_corrupted_answer",
                    "that contrast is two given texts, with nothing generated", "Use --read last_prompt_token.");
        }
        if (folds < 2) {
            throw UserFacingException.usage("Invalid --folds " + folds, "cross-validation needs at least 2 folds", "Pass --folds 2 or more.");
        }
        try (AnalysisRun run = inputs.openTrainOnly("probes", versus.reference(), spec.commandLine().getOut(), spec.commandLine().getErr())) {
            long seed = 0;
            if (!(lambda >= 0) || Double.isInfinite(lambda)) {
                throw UserFacingException.usage("Invalid --lambda " + lambda, "the L2 penalty is a finite number >= 0", "Pass e.g. --lambda 1.");
            }
            CrossValidatedProbes.Options opts = new CrossValidatedProbes.Options(folds, lambda, seed, true);
            List<ProbeReport> reports = new ArrayList<>();
            List<AnalysisModel> models = new ArrayList<>(List.of(run.model()));
            if (run.versus() != null) {
                models.add(run.versus());
            }
            int classes = 2;
            Map<String, String> skipped = new java.util.LinkedHashMap<>();
            Map<String, Integer> excluded = new java.util.LinkedHashMap<>();
            for (AnalysisModel m : models) {
                Labelled l = probeSet(run, m, what, where);
                ProbeSet set = l.set();
                classes = set.classes().size();
                excluded.put(m.name(), l.excluded());
                run.err().println("probing " + m.name() + ": " + set.size() + " examples (" + l.excluded() + " train items"
                        + " excluded), classes " + set.classCounts());
                try {
                    reports.add(ProbeReport.fit(m.name(), what.wireName(), where.wireName(), set, opts, what != ProbeLabel.FAMILY));
                } catch (IllegalArgumentException e) {
                    skipped.put(m.name(), e.getMessage());
                    run.err().println("WARNING: no probes for " + m.name() + ": " + e.getMessage());
                }
            }
            if (reports.isEmpty()) {
                throw UserFacingException.usage("Cannot probe " + what.wireName() + " on " + String.join(" or ", skipped.keySet()),
                        String.join("; ", skipped.values()), "Raise --n-train (the probes use the train split), or pick another --label.");
            }
            ProbesResult result = new ProbesResult(run.data().dataset().cliName(), run.data().train().size(), excluded, reports, skipped);
            run.output().json("probes.json", result);
            String title = "Probes of " + what.wireName() + " (" + String.join(" vs ", models.stream().map(AnalysisModel::name).toList())
                    + ", " + run.data().dataset().cliName() + " train, n = " + run.data().train().size() + ", " + where.wireName() + ")";
            run.output().plot("probes.png", ProbePlot.chart(title, reports, 1.0 / classes));
            for (ProbeReport r : reports) {
                if (!r.families().isEmpty()) {
                    run.output().plot("probes-families-" + safe(r.model()) + ".png", ProbePlot.families("Probes of " + what.wireName()
                            + " per family (" + r.model() + ", n = " + run.data().train().size() + ")", r, 1.0 / classes));
                }
            }
            summary(run, reports);
            skipped.forEach((m, why) -> run.output().line("%s: no probes (%s)", m, why));
            run.output().done();
        }
        return 0;
    }

    /** What probes.json holds: one report per model. */
    @com.fasterxml.jackson.databind.annotation.JsonNaming(com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProbesResult(String dataset, int nTrain, Map<String, Integer> excluded, List<ProbeReport> models,
            Map<String, String> skipped) {}

    /**
     * A model's probe examples and how many train items gave none (no contrast pair that fits, or, for
     * {@code --label mode}, a completion that stopped before deciding a mode: {@code UNFINISHED}).
     */
    record Labelled(ProbeSet set, int excluded) {}

    static Labelled probeSet(AnalysisRun run, AnalysisModel m, ProbeLabel what, ReadMode where) {
        List<Problem> items = run.data().train();
        List<Integer> layers = java.util.Arrays.stream(run.layers()).boxed().toList();
        int pad = m.padId();
        if (what == ProbeLabel.GOLD_VS_CORRUPTED_ANSWER) {
            List<VectorBuilder.Encoded> pairs = VectorBuilder.encodedPairs(PairBuilder.GOLD_VS_CORRUPTED_ANSWER, items,
                    run.variant()::render, run::encode, m.model().config().maxPositions());
            List<int[]> seqs = new ArrayList<>();
            int n = pairs.size();
            int[] labels = new int[2 * n];
            int[] groups = new int[2 * n];
            List<String> fam = new ArrayList<>();
            for (int side = 0; side < 2; side++) {
                for (int i = 0; i < n; i++) {
                    VectorBuilder.Encoded e = pairs.get(i);
                    seqs.add(side == 0 ? e.positive() : e.negative());
                    labels[side * n + i] = side == 0 ? 1 : 0;
                    groups[side * n + i] = i;
                    fam.add(family(e.item()));
                }
            }
            List<String> ids = pairs.stream().map(e -> e.item().id()).toList();
            return new Labelled(new ProbeSet(run.residuals(m, "train/probes/gold_vs_corrupted_answer", ids, seqs, null,
                    ReadMode.LAST_PROMPT_TOKEN, layers),
                    labels, List.of("corrupted", "gold"), groups, fam), items.size() - n);
        }
        List<Completion> done = what.needsCompletions() || where == ReadMode.MEAN_GENERATED
                ? Completions.greedy(m.model(), m.tokenizer(), run.grader(), items, run::encodePrompt, pad, run.maxNewTokens())
                : null;
        List<Integer> keep = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (what == ProbeLabel.MODE && done.get(i).mode() == CompletionMode.UNFINISHED) {
                continue; // no mode decided within the token budget: not an example of either mode
            }
            keep.add(i);
            names.add(labelOf(what, items.get(i), done == null ? null : done.get(i)));
        }
        items = keep.stream().map(items::get).toList();
        List<int[]> prompts = items.stream().map(run::encodePrompt).toList();
        List<Completion> kept = done == null ? null : keep.stream().map(done::get).toList();
        List<String> classes = new ArrayList<>(new TreeSet<>(names));
        Map<String, Integer> index = new TreeMap<>();
        for (int c = 0; c < classes.size(); c++) {
            index.put(classes.get(c), c);
        }
        int[] labels = names.stream().mapToInt(index::get).toArray();
        int[] groups = new int[items.size()];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = i;
        }
        List<String> fam = items.stream().map(ProbesCommand::family).toList();
        List<int[]> generated = kept == null ? null : kept.stream().map(Completion::tokens).toList();
        Map<Integer, float[][]> acts = run.residuals(m, "train/probes/prompts", items.stream().map(Problem::id).toList(),
                prompts, generated, where, layers);
        return new Labelled(new ProbeSet(acts, labels, classes, groups, fam), run.data().train().size() - items.size());
    }

    private static String labelOf(ProbeLabel what, Problem p, Completion c) {
        return switch (what) {
            case CORRECT -> c.correct() ? "correct" : "incorrect";
            case MODE -> c.mode().name().toLowerCase(java.util.Locale.ROOT);
            case DIFFICULTY -> p.metadata().getOrDefault("difficulty", p.metadata().getOrDefault("level", "unknown"));
            case FAMILY -> family(p);
            case GOLD_VS_CORRUPTED_ANSWER -> throw new IllegalStateException("pairs are labelled by side");
        };
    }

    /** The synthetic template, or a dataset's subject, else "all". */
    static String family(Problem p) {
        return p.metadata().getOrDefault("template", p.metadata().getOrDefault("subject", "all"));
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void summary(AnalysisRun run, List<ProbeReport> reports) {
        for (ProbeReport r : reports) {
            CrossValidatedProbes.Curve c = r.overall();
            run.output().line("%s: probes of %s at %s, %d-fold CV, balanced %s -> %s", r.model(), r.label(), r.read(), r.folds(),
                    c.balance().before(), c.balance().after());
            run.output().line("  layer  accuracy  [95%% CI]         AUC    n");
            for (CrossValidatedProbes.LayerResult l : c.layers()) {
                run.output().line("  %5d  %7.1f%%  [%5.1f%%, %5.1f%%]  %.3f  %d", l.layer(), 100 * l.accuracy(), 100 * l.ciLow(),
                        100 * l.ciHigh(), l.auc(), l.n());
            }
            Integer first = r.firstLayerAbove90();
            run.output().line("  first layer above 90%%: %s", first == null ? "none" : first.toString());
        }
    }
}
