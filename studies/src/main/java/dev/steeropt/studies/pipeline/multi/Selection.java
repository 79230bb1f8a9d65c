package dev.steeropt.studies.pipeline.multi;

import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.spec.SelectionRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Applies a pre-registered {@link SelectionRule} to a validation front: ranks the front points the rule admits, best
 * first, so that the first is the configuration to test and the next {@code --test-also} ones follow by the same rule.
 */
public final class Selection {
    private Selection() {}

    /**
     * The first {@code 1 + testAlso} admitted front points, in the rule's order (fewer if fewer are admitted).
     *
     * @throws UserFacingException (exit 1) when the rule admits no front point
     */
    public static List<FrontPoint> apply(SelectionRule rule, ValidationFront f, int testAlso) {
        List<FrontPoint> ranked = rank(rule, f.front(), f.baseline());
        if (ranked.isEmpty()) {
            throw UserFacingException.runtime("The pre-registered rule --select " + rule + " admits no point of the"
                    + " validation front", String.format(Locale.ROOT, "the baseline (trial #0) has accuracy %.4f and"
                    + " %.2f mean tokens; front: %s", f.baseline().accuracy(), f.baseline().tokens(), describe(f.front())),
                    "The test split was not evaluated. The rule cannot change for this study: start a new study"
                    + " (another --study-name) with a rule the search can meet.", null);
        }
        return ranked.subList(0, Math.min(ranked.size(), 1 + testAlso));
    }

    /**
     * The admitted points of {@code front}, best first by {@code rule}; ties go to the higher accuracy (the knee:
     * e.g. the two extremes of a front with no point above their line), then the lower trial number.
     */
    static List<FrontPoint> rank(SelectionRule rule, List<FrontPoint> front, FrontPoint baseline) {
        List<FrontPoint> out = new ArrayList<>();
        Comparator<FrontPoint> byNumber = Comparator.comparingInt(FrontPoint::trial);
        switch (rule.kind()) {
            case KNEE -> {
                double[] d = kneeDistances(front);
                List<Integer> idx = new ArrayList<>();
                for (int i = 0; i < front.size(); i++) {
                    idx.add(i);
                }
                idx.sort(Comparator.<Integer>comparingDouble(i -> -d[i])
                        .thenComparingDouble(i -> -front.get(i).accuracy()).thenComparingInt(i -> front.get(i).trial()));
                idx.forEach(i -> out.add(front.get(i)));
            }
            case MAX_ACCURACY_WITHIN_TOKENS -> {
                double cap = rule.bound() * baseline.tokens();
                front.stream().filter(p -> p.tokens() <= cap).sorted(Comparator.comparingDouble(FrontPoint::accuracy)
                        .reversed().thenComparingDouble(FrontPoint::tokens).thenComparing(byNumber)).forEach(out::add);
            }
            case MIN_TOKENS_WITHIN_ACCURACY -> {
                double floor = baseline.accuracy() - rule.bound();
                front.stream().filter(p -> p.accuracy() >= floor - 1e-12).sorted(Comparator
                        .comparingDouble(FrontPoint::tokens).thenComparing(Comparator.comparingDouble(
                                FrontPoint::accuracy).reversed()).thenComparing(byNumber)).forEach(out::add);
            }
            default -> throw new IllegalStateException("no ranking for " + rule.kind());
        }
        return out;
    }

    /**
     * Each front point's signed distance from the line between the front's two extremes (fewest tokens, highest
     * accuracy), both objectives normalised to [0, 1] over the front: positive on the side of the ideal point (more
     * accuracy for the tokens), negative where the front sags below the line, so the knee is the point that bulges
     * farthest toward the ideal. A front of one or two points, or one whose extremes
     * coincide on an objective, has distance 0 everywhere (ties then go to the higher accuracy).
     */
    static double[] kneeDistances(List<FrontPoint> front) {
        double[] d = new double[front.size()];
        if (front.size() < 3) {
            return d;
        }
        double aMin = front.stream().mapToDouble(FrontPoint::accuracy).min().orElseThrow();
        double aMax = front.stream().mapToDouble(FrontPoint::accuracy).max().orElseThrow();
        double tMin = front.stream().mapToDouble(FrontPoint::tokens).min().orElseThrow();
        double tMax = front.stream().mapToDouble(FrontPoint::tokens).max().orElseThrow();
        if (aMax == aMin || tMax == tMin) {
            return d;
        }
        // normalised: x = tokens in [0, 1] (0 fewest), y = accuracy in [0, 1]; on a front the extremes are the point
        // with fewest tokens (lowest accuracy) and the one with most tokens (highest accuracy): (0, 0) and (1, 1)
        for (int i = 0; i < d.length; i++) {
            double x = (front.get(i).tokens() - tMin) / (tMax - tMin);
            double y = (front.get(i).accuracy() - aMin) / (aMax - aMin);
            d[i] = (y - x) / Math.sqrt(2);
        }
        return d;
    }

    private static String describe(List<FrontPoint> front) {
        List<String> s = new ArrayList<>();
        for (FrontPoint p : front) {
            s.add(String.format(Locale.ROOT, "#%d (%.4f, %.2f)", p.trial(), p.accuracy(), p.tokens()));
        }
        return String.join(", ", s);
    }
}
