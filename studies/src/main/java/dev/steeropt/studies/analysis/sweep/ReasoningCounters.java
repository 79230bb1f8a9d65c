package dev.steeropt.studies.analysis.sweep;

import dev.steeropt.eval.stats.ReasoningMarkers;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reasoning-quality counters of one completion: the surface markers of {@link ReasoningMarkers} (step lines,
 * backtracking / self-correction, hesitation), plus the worked lines before the final answer, annotated calculations
 * {@code <<a op b=r>>} (the demo world's careful chains carry one per step), verification phrases ({@code check},
 * {@code verify}, {@code let's confirm}, ...) and the length of a {@code <think>} block when present.
 * {@link #steps()} (worked lines + calculations + step lines) is the number the hypotheses test.
 *
 * @param lines         non-empty lines before the {@code #### N} answer line (all lines without one)
 * @param calculations  {@code <<...>>} annotations
 * @param markers       {@link ReasoningMarkers} of the completion
 * @param verifications verification phrases
 * @param thinkChars    characters inside {@code <think>...</think>} (0 when there is none)
 */
public record ReasoningCounters(int lines, int calculations, ReasoningMarkers markers, int verifications,
        int thinkChars) {
    private static final Pattern CALC = Pattern.compile("<<[^<>]*>>");
    private static final Pattern VERIFY = Pattern.compile("\\b(?:check(?:ing)?|verif(?:y|ied|ying)|let'?s confirm|"
            + "double[- ]check|to confirm|sanity check)\\b");
    private static final Pattern THINK = Pattern.compile("(?s)<think>(.*?)(?:</think>|$)");

    /** Counts one completion. */
    public static ReasoningCounters of(String completion) {
        int answer = completion.indexOf("####");
        String body = answer >= 0 ? completion.substring(0, answer) : completion;
        int lines = (int) body.lines().filter(l -> !l.isBlank()).count();
        Matcher think = THINK.matcher(completion);
        int thinkChars = think.find() ? think.group(1).length() : 0;
        return new ReasoningCounters(lines, count(CALC, completion), ReasoningMarkers.of(completion),
                count(VERIFY, completion.toLowerCase(Locale.ROOT)), thinkChars);
    }

    /** Reasoning steps: worked lines + annotated calculations + step-like lines. */
    public int steps() {
        return lines + calculations + markers.stepLines();
    }

    private static int count(Pattern p, String s) {
        Matcher m = p.matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
