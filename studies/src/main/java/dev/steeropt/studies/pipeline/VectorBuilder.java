package dev.steeropt.studies.pipeline;

import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.steering.caa.ContrastPair;
import dev.steeropt.core.steering.caa.ReadPosition;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.splits.Split;
import dev.steeropt.eval.synthetic.HastyShortcut;
import dev.steeropt.studies.spec.PairBuilder;
import dev.steeropt.studies.vectors.CachedActivations;
import dev.steeropt.studies.vectors.CachedCaa;
import dev.steeropt.studies.vectors.PairBuilders;
import dev.steeropt.studies.vectors.TextPair;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CAA vectors for the candidate layers from the train split, through {@link CachedCaa} (activations cached, so a
 * resumed study or a worker process runs no forward for them). Pairs: {@code gold_vs_corrupted_answer} uses
 * {@link PairBuilders#goldVsCorrupted} (prompt + gold solution vs the same with the final answer off by one);
 * {@code answer_off_by_one} is prompt + " The answer is N." vs N+1, for models whose context cannot hold a solution.
 * {@code reasoning_vs_control} is the rendered prompt against {@link PairBuilder#controlPrompt} of the same question.
 * Read at the last token.
 */
public final class VectorBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(VectorBuilder.class);
    private static final int BATCH = 8;

    private VectorBuilder() {}

    static LayerVectors build(LoadedModel model, String modelFingerprint, List<Integer> layers, Split train,
            List<Problem> trainItems, String promptHash, Function<Problem, String> render,
            Function<String, int[]> encode, ActivationStore cache, PairBuilder pairBuilder, Progress progress) {
        int maxPositions = model.config().maxPositions();
        List<ContrastPair> pairs = new ArrayList<>();
        for (Encoded e : encodedPairs(pairBuilder, trainItems, render, encode, maxPositions)) {
            pairs.add(new ContrastPair(e.positive(), e.negative()));
        }
        if (pairs.isEmpty()) {
            throw UserFacingException.usage("No " + pairBuilder.wireName() + " contrast pair of the " + trainItems.size()
                    + " train items fits the model's " + maxPositions + " positions",
                    "a CAA vector needs at least one pair that the model can read whole",
                    "Use --pairs answer_off_by_one (short pairs), a shorter prompt variant, or a model with a longer context.");
        }
        progress.start("steering vectors (" + pairs.size() + " " + pairBuilder.wireName() + " train pairs, layers " + layers
                + "; cached in " + cache.root() + ")", 1);
        CachedCaa.Built built = CachedCaa.build(cache, new CachedActivations.Scope(modelFingerprint, train.name(),
                train.idsHash(), promptHash, "special=true;pad=left"), pairBuilder.wireName(), model, pairs,
                ReadPosition.lastToken(), layers, BATCH);
        progress.advance(1);
        Map<Integer, dev.steeropt.core.steering.SteeringVector> out = new LinkedHashMap<>();
        for (int l : layers) {
            out.put(l, built.vector(l));
        }
        return new LayerVectors(out);
    }

    /** One item's contrast pair, encoded. */
    public record Encoded(Problem item, int[] positive, int[] negative) {}

    /**
     * The encoded contrast pairs of {@code items} under a pair builder, in item order, without the items that have no
     * pair ({@code careful_vs_hasty} on a question with no number to sum) or whose pair is longer than
     * {@code maxPositions} (both counted in a warning). Shared by the vectors and the layer probes.
     */
    public static List<Encoded> encodedPairs(PairBuilder pairBuilder, List<Problem> items, Function<Problem, String> render,
            Function<String, int[]> encode, int maxPositions) {
        List<Encoded> out = new ArrayList<>();
        List<String> unpaired = new ArrayList<>();
        List<String> tooLong = new ArrayList<>();
        for (Problem p : items) {
            if (pairBuilder == PairBuilder.CAREFUL_VS_HASTY && !HastyShortcut.applies(p.question())) {
                unpaired.add(p.id());
                continue;
            }
            TextPair t = pair(pairBuilder, p, render.apply(p));
            int[] positive = encode.apply(t.positive());
            int[] negative = encode.apply(t.negative());
            if (Math.max(positive.length, negative.length) > maxPositions) {
                tooLong.add(p.id());
                continue;
            }
            out.add(new Encoded(p, positive, negative));
        }
        if (!unpaired.isEmpty()) {
            LOG.warn("Skipped {} of {} train items that have no {} contrast pair (first: {}).", unpaired.size(),
                    items.size(), pairBuilder.wireName(), unpaired.get(0));
        }
        if (!tooLong.isEmpty()) {
            LOG.warn("Skipped {} of {} {} contrast pairs longer than the model's {} positions (first: {}); {} are left.",
                    tooLong.size(), items.size(), pairBuilder.wireName(), maxPositions, tooLong.get(0), out.size());
        }
        return out;
    }

    /** The contrast pair of one item under a pair builder. */
    public static TextPair pair(PairBuilder pairBuilder, Problem p, String prompt) {
        String open = prompt.endsWith(" ") ? prompt : prompt + " ";
        return switch (pairBuilder) {
            case GOLD_VS_CORRUPTED_ANSWER -> PairBuilders.goldVsCorrupted(p.id(), open, p.goldSolution(), 1);
            case ANSWER_OFF_BY_ONE -> new TextPair(p.id(), open + "The answer is " + p.goldAnswer().strip() + ".",
                    open + "The answer is " + wrongAnswer(p) + ".");
            case CAREFUL_VS_HASTY -> new TextPair(p.id(), open + throughAnswerMarker(p.goldSolution()),
                    open + throughAnswerMarker(HastyShortcut.solution(p.question())));
            case REASONING_VS_CONTROL -> new TextPair(p.id(), prompt, PairBuilder.controlPrompt(p.question()));
        };
    }

    /** A solution up to and including {@code "#### "}: the same last token whatever the mode. */
    static String throughAnswerMarker(String solution) {
        int at = solution.lastIndexOf(ANSWER_MARKER);
        if (at < 0) {
            throw new IllegalArgumentException("a solution without \"" + ANSWER_MARKER + "\": " + solution);
        }
        return solution.substring(0, at + ANSWER_MARKER.length());
    }

    private static final String ANSWER_MARKER = "#### ";

    /** The gold answer + 1 (or with a "1" appended if it is not a number). */
    static String wrongAnswer(Problem p) {
        String gold = p.goldAnswer().strip();
        try {
            return new BigDecimal(gold.replace(",", "")).add(BigDecimal.ONE).toPlainString();
        } catch (NumberFormatException e) {
            return gold + "1";
        }
    }
}
