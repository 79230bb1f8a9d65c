package dev.steeropt.eval.stats;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Surface markers of reasoning in one completion, counted case-insensitively.
 *
 * <ul>
 *   <li>{@code stepLines}: lines that start (after indentation) with {@code Step N}, a list number {@code 1.} /
 *       {@code 2)}, or a bullet {@code -} / {@code *}.</li>
 *   <li>{@code backtracks}: {@code wait}, {@code actually}, {@code hold on}, {@code on second thought},
 *       {@code let me re-check / recheck / double-check / reconsider}, {@code i made a mistake},
 *       {@code that's wrong / that is incorrect}.</li>
 *   <li>{@code hesitations}: {@code hmm}, {@code um}, {@code uh}, {@code maybe}, {@code perhaps}, {@code i think},
 *       {@code i guess}, {@code not sure}.</li>
 * </ul>
 * Phrases are matched on word boundaries and never counted twice.
 *
 * @param stepLines   step-like lines
 * @param backtracks  backtracking phrases
 * @param hesitations hesitation words
 */
public record ReasoningMarkers(int stepLines, int backtracks, int hesitations) {
    private static final Pattern STEP_LINE =
            Pattern.compile("(?im)^[ \\t]*(?:step[ \\t]*\\d+\\b|\\d+[.)][ \\t]|[-*][ \\t])");
    private static final Pattern BACKTRACK = Pattern.compile("\\b(?:wait|actually|hold on|on second thought|"
            + "let me (?:re-?check|double[- ]check|reconsider)|i made a mistake|"
            + "that(?:'s| is) (?:wrong|incorrect))\\b");
    private static final Pattern HESITATION =
            Pattern.compile("\\b(?:hm+|um+|uh+|maybe|perhaps|i think|i guess|not sure)\\b");

    public ReasoningMarkers {
        if (stepLines < 0 || backtracks < 0 || hesitations < 0) {
            throw new IllegalArgumentException("marker counts must be >= 0, got " + stepLines + ", " + backtracks
                    + ", " + hesitations);
        }
    }

    /** Counts the markers of one completion. */
    public static ReasoningMarkers of(String completion) {
        String lower = completion.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        return new ReasoningMarkers(count(STEP_LINE, lower), count(BACKTRACK, lower), count(HESITATION, lower));
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
