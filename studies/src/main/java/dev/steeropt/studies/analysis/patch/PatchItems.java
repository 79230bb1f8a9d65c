package dev.steeropt.studies.analysis.patch;

import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.datasets.QuestionCorruption;
import dev.steeropt.studies.analysis.AnalysisRun;
import dev.steeropt.studies.errors.UserFacingException;
import java.util.ArrayList;
import java.util.List;

/**
 * The items of {@code analyze patch} as the source and the target runs see them. Both are scored against one gold
 * answer, the source prompts' (for clean → corrupted: the clean answer, whose log-probability and accuracy in the
 * corrupted run the patch restores), so the target item is the target prompts' question with the source prompts'
 * gold solution and answer. Items are dropped when they have no corrupted version, or when the position rule pairs
 * positions by index and the two prompts (or, for {@code all}, the teacher-forced sequences) differ in token length.
 */
final class PatchItems {
    private PatchItems() {}

    /** One item: the source run's problem and the target run's (target question, source gold). */
    record Item(Problem source, Problem target) {}

    /** The items kept, and how many were dropped for each reason. */
    record Built(List<Item> items, int uncorruptible, int unaligned) {}

    /**
     * @throws UserFacingException (usage) when no item is left
     */
    static Built build(AnalysisRun run, List<Problem> base, PromptSet sourceSet, PromptSet targetSet,
            PatchPositions positions, long seed) {
        QuestionCorruption corruption = QuestionCorruption.seeded(seed);
        List<Item> out = new ArrayList<>();
        int uncorruptible = 0;
        int unaligned = 0;
        for (Problem p : base) {
            var s = sourceSet.of(p, corruption);
            var t = targetSet.of(p, corruption);
            if (s.isEmpty() || t.isEmpty()) {
                uncorruptible++;
                continue;
            }
            Problem src = s.get();
            Problem tgt = new Problem(p.id(), t.get().question(), src.goldSolution(), src.goldAnswer(), t.get().metadata());
            if (sourceSet != targetSet && positions.pairsByIndex() && !aligned(run, src, tgt, positions)) {
                unaligned++;
                continue;
            }
            out.add(new Item(src, tgt));
        }
        if (out.isEmpty()) {
            throw UserFacingException.usage("No item is left to patch (" + base.size() + " items: " + uncorruptible
                    + " without a corrupted version, " + unaligned + " whose source and target prompts differ in token"
                    + " length)", "--positions " + positions.wireName() + " pairs source and target positions by index",
                    "Pass --positions last (pairs the two prompts' last tokens), or more items with --n.");
        }
        return new Built(List.copyOf(out), uncorruptible, unaligned);
    }

    private static boolean aligned(AnalysisRun run, Problem src, Problem tgt, PatchPositions positions) {
        String ps = run.variant().render(src);
        String pt = run.variant().render(tgt);
        if (run.encode(ps).length != run.encode(pt).length) {
            return false;
        }
        return positions != PatchPositions.ALL
                || run.encode(ps + src.goldSolution()).length == run.encode(pt + tgt.goldSolution()).length;
    }
}
