package dev.steeropt.studies.pipeline.multi;

import dev.steeropt.studies.pipeline.TestSummary;
import java.io.PrintWriter;
import java.util.Locale;

/** What {@code optimize} prints on stdout about a multi-objective study's front and its tested configurations. */
public final class FrontSummary {
    private FrontSummary() {}

    /** The front, the rule's choice, and each tested configuration's accuracy and tokens on test. */
    public static void print(PrintWriter out, FrontEvaluation e, String metric) {
        MultiObjectiveReport r = e.report();
        FrontPoint b = r.baseline();
        out.printf(Locale.ROOT, "Validation Pareto front (%s accuracy max, mean tokens min): %d of %d COMPLETE trials;"
                + " baseline #%d: accuracy %.4f, %.2f tokens%n", metric, r.front().size(), e.validation().all().size(),
                b.trial(), b.accuracy(), b.tokens());
        for (FrontPoint p : r.front()) {
            out.printf(Locale.ROOT, "  #%-4d accuracy %.4f  tokens %7.2f  %s%s%n", p.trial(), p.accuracy(), p.tokens(),
                    p.params(), p.trial() == r.chosenTrial() ? "  <- chosen" : "");
        }
        out.printf(Locale.ROOT, "Pre-registered rule --select %s chose trial #%d%n", r.selection(), r.chosenTrial());
        for (MultiObjectiveReport.Tested t : r.tested()) {
            TestSummary s = t.test();
            TokensComparison k = t.tokens();
            out.printf(Locale.ROOT, "Test %s #%d (%d items, evaluated once): accuracy %.4f vs baseline %.4f (gain %+.4f,"
                    + " bootstrap 95%% CI [%+.4f, %+.4f], McNemar p = %.4g%s); tokens %.2f vs %.2f (reduction %+.2f,"
                    + " 95%% CI [%+.2f, %+.2f], paired t p = %.4g%s)%n", t.rank() == 0 ? "chosen" : "also",
                    t.validation().trial(), s.nItems(), accuracy(s.best(), s.metric().wireName()),
                    accuracy(s.baseline(), s.metric().wireName()), s.gain().observed(), s.gain().ci95().get(0),
                    s.gain().ci95().get(1), s.mcnemar().pValue(), holm(r, t.accuracyPHolm()), k.meanTokens(),
                    k.baselineMeanTokens(), k.reduction(), k.reductionCi95().get(0), k.reductionCi95().get(1),
                    k.pValue(), holm(r, t.tokensPHolm()));
        }
    }

    private static double accuracy(TestSummary.Arm a, String metric) {
        return metric.equals("strict") ? a.strictAccuracy() : a.flexibleAccuracy();
    }

    private static String holm(MultiObjectiveReport r, double p) {
        return r.tested().size() > 1 ? String.format(Locale.ROOT, ", Holm %.4g", p) : "";
    }
}
