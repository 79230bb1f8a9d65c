package dev.steeropt.core.steering;

import dev.steeropt.core.hooks.SteerPositions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@link ZeroSteeringCheck} found: one {@link Row} per comparison, and a fixed-width table of them.
 *
 * @param rows         zero rows first, then the control rows
 * @param prompts      prompts in the full batch
 * @param maxNewTokens tokens generated per prompt
 * @param fault        the fault injected into the steered arms ({@link ZeroCheckFault#NONE} for a real check)
 */
public record ZeroSteeringReport(List<Row> rows, int prompts, int maxNewTokens, ZeroCheckFault fault) {
    public ZeroSteeringReport {
        rows = List.copyOf(rows);
        Objects.requireNonNull(fault, "fault");
    }

    /** What a row expects of its comparison. */
    public enum Expect {
        /** Tokens equal and logits equal (bit for bit against the plain run, within the row's tolerance otherwise). */
        IDENTICAL,
        /** Tokens or logits differ: the control that shows the comparison can fail. */
        DIFFERENT
    }

    /** What a row's steered run is compared with. */
    public enum Reference {
        /** The unsteered run of the same prompts with the same decoding (no hook, no prefix reuse). */
        PLAIN_RUN,
        /** The same method steering each prompt alone (batch size 1), row by row. */
        SINGLE_ROWS
    }

    /** Greedy (argmax) or seeded sampling; the plain run and the steered run share the seed. */
    public enum Decoding {
        GREEDY,
        SAMPLED
    }

    /**
     * One comparison.
     *
     * @param method          the steering method run (its strength is {@link #alpha()})
     * @param positions       steered positions ({@link SteerPositions#FROM_LAST_PROMPT_TOKEN} for DAC, which fixes them)
     * @param batchSize       prompts in the run
     * @param prefixReuse     true if the run started from a reused prefilled prompt prefix ({@code PromptState}), with
     *                        the steered block's input kept so that whole-prompt steering resumes from it
     * @param decoding        greedy or sampled
     * @param expect          identical or different
     * @param reference       what it is compared with
     * @param hookCalls       calls of the run's steering hooks ({@link SteeredResult#hookCalls()}); 0 fails the row
     * @param tokensIdentical every row's tokens equal the reference's
     * @param maxAbsLogitDiff largest |Δ| over every row, step and vocabulary entry (∞ when token counts differ)
     * @param tolerance       largest |Δ| an identical row may show: 0 against the plain run
     * @param dacTrace        DAC only: per batch row, the (D_t, α_t, |S_t|) of every generated token; else empty
     */
    public record Row(SteeringMethod method, SteerPositions positions, int batchSize, boolean prefixReuse, Decoding decoding,
            Expect expect, Reference reference, long hookCalls, boolean tokensIdentical, double maxAbsLogitDiff,
            double tolerance, List<List<SteeredResult.DacStep>> dacTrace) {
        public Row {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(positions, "positions");
            Objects.requireNonNull(decoding, "decoding");
            Objects.requireNonNull(expect, "expect");
            Objects.requireNonNull(reference, "reference");
            List<List<SteeredResult.DacStep>> copy = new ArrayList<>();
            for (List<SteeredResult.DacStep> t : dacTrace) {
                copy.add(List.copyOf(t));
            }
            dacTrace = List.copyOf(copy);
        }

        /** The strength: α for CAA, α_max for DAC. */
        public double alpha() {
            return method instanceof SteeringMethod.Caa c ? c.alpha() : ((SteeringMethod.Dac) method).alphaMax();
        }

        /** True if every logit is within the tolerance (exactly equal when it is 0). */
        public boolean logitsIdentical() {
            return maxAbsLogitDiff <= tolerance;
        }

        /** True if the steering hooks ran (every row of the check steers, so every row expects calls). */
        public boolean hooksRan() {
            return hookCalls > 0;
        }

        /** True if the row behaved as expected and its hooks ran. */
        public boolean passed() {
            boolean identical = tokensIdentical && logitsIdentical();
            return hooksRan() && (expect == Expect.IDENTICAL) == identical;
        }

        /** {@code ok}, or why the row failed. */
        public String verdict() {
            if (!hooksRan()) {
                return "FAIL: no hook call";
            }
            return passed() ? "ok" : "MISMATCH";
        }
    }

    /** True if every row passed. */
    public boolean passed() {
        return rows.stream().allMatch(Row::passed);
    }

    /** Rows that did not pass. */
    public long failures() {
        return rows.stream().filter(r -> !r.passed()).count();
    }

    /** The method's name as the report prints it: {@code caa}, {@code dac} or {@code dac-seed-compat}. */
    public static String methodName(SteeringMethod m) {
        return m instanceof SteeringMethod.Dac d && d.seedCompat() ? "dac-seed-compat" : m.name();
    }

    /** A name of an enum constant as the report prints it: lower case, e.g. {@code from_last_prompt_token}. */
    public static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** A fixed-width table, one line per row, then the α_t trace of the first prompt for each DAC row. */
    public String table() {
        String fmt = "%-3s %-15s %-22s %5s %-6s %-7s %7s %-9s %-11s %10s %-6s %-13s %s%n";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, fmt, "#", "method", "positions", "batch", "reuse",
                "decode", "alpha", "expect", "vs", "hook_calls", "tokens", "max_abs_dlogit", "result"));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(String.format(Locale.ROOT, fmt, i, methodName(r.method()), name(r.positions()), r.batchSize(),
                    r.prefixReuse() ? "on" : "off", name(r.decoding()), String.format(Locale.ROOT, "%.3g", r.alpha()),
                    name(r.expect()), r.reference() == Reference.PLAIN_RUN ? "plain" : "single_rows", r.hookCalls(),
                    r.tokensIdentical() ? "same" : "differ", String.format(Locale.ROOT, "%.3g", r.maxAbsLogitDiff()),
                    r.verdict()));
        }
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (!r.dacTrace().isEmpty() && !r.dacTrace().get(0).isEmpty()) {
                StringBuilder t = new StringBuilder();
                for (SteeredResult.DacStep s : r.dacTrace().get(0)) {
                    t.append(t.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3g", s.alpha()));
                }
                sb.append(String.format(Locale.ROOT, "row %d %s alpha_t (prompt 0): %s%n", i, methodName(r.method()), t));
            }
        }
        return sb.toString();
    }
}
