package dev.steeropt.studies.vectors;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two contrast-pair builders for GSM8K steering vectors, as pure functions over the strings the pipeline gives
 * them (the prompt already rendered with its template).
 *
 * <ul>
 *   <li>{@link #goldVsCorrupted}: the gold solution against the same solution whose final answer is off by a fixed
 *       amount, the last calculation line changed consistently, so the two differ only in the result;</li>
 *   <li>{@link #ownCompletions}: the model's own correct against its own incorrect completions of the same item.</li>
 * </ul>
 */
public final class PairBuilders {
    /** Name of {@link #goldVsCorrupted} in vector metadata and cache keys. */
    public static final String GOLD_VS_CORRUPTED = "gold_vs_corrupted_answer";
    /** Name of {@link #ownCompletions} in vector metadata and cache keys. */
    public static final String OWN_COMPLETIONS = "own_correct_vs_incorrect";

    private static final Pattern NUMBER = Pattern.compile("(?<![\\d.,])-?\\d[\\d,]*(?:\\.\\d+)?(?![\\d])");
    private static final Pattern FINAL = Pattern.compile("^(\\s*\\$?)(-?\\d[\\d,]*(?:\\.\\d+)?)(.*)$", Pattern.DOTALL);

    private PairBuilders() {}

    /**
     * Gold solution vs corrupted solution for one item.
     *
     * @param prompt   the model input before the answer (the same on both sides)
     * @param solution the GSM8K gold solution ending in {@code #### N}
     * @param offset   added to N (non-zero), e.g. 1
     */
    public static TextPair goldVsCorrupted(String itemId, String prompt, String solution, int offset) {
        return new TextPair(itemId, prompt + solution, prompt + corruptFinalAnswer(solution, offset));
    }

    /**
     * The solution with {@code #### N} replaced by {@code #### N+offset} and, in the last line before it, every
     * occurrence of N after that line's last {@code =} (the whole line if it has none) replaced too, so that the
     * worked calculation ends in the corrupted number. E.g. {@code <<48+24=72>>72 clips\n#### 72} becomes
     * {@code <<48+24=73>>73 clips\n#### 73} for offset 1.
     *
     * @throws IllegalArgumentException if there is no {@code #### N} with a numeric N, or offset is 0
     */
    public static String corruptFinalAnswer(String solution, int offset) {
        if (offset == 0) {
            throw new IllegalArgumentException("offset 0 would leave the answer correct; use a non-zero offset");
        }
        int at = solution.lastIndexOf("####");
        if (at < 0) {
            throw new IllegalArgumentException("solution has no '#### N' final answer: " + abbreviate(solution));
        }
        Matcher m = FINAL.matcher(solution.substring(at + 4));
        if (!m.matches()) {
            throw new IllegalArgumentException("the final answer after '####' is not a number: "
                    + abbreviate(solution.substring(at + 4)));
        }
        BigDecimal value = parse(m.group(2));
        String corrupted = format(value.add(BigDecimal.valueOf(offset)), m.group(2));
        String head = solution.substring(0, at);
        String newTail = "####" + m.group(1) + corrupted + m.group(3);
        int lineEnd = head.stripTrailing().length();
        if (lineEnd == 0) {
            return head + newTail;
        }
        int lineStart = head.lastIndexOf('\n', lineEnd - 1) + 1;
        String line = head.substring(lineStart, lineEnd);
        int eq = line.lastIndexOf('=');
        int from = eq < 0 ? 0 : eq + 1;
        StringBuilder sb = new StringBuilder(line.substring(0, from));
        Matcher n = NUMBER.matcher(line);
        n.region(from, line.length());
        int last = from;
        while (n.find()) {
            sb.append(line, last, n.start());
            sb.append(parse(n.group()).compareTo(value) == 0 ? corrupted : n.group());
            last = n.end();
        }
        sb.append(line.substring(last));
        return head.substring(0, lineStart) + sb + head.substring(lineEnd) + newTail;
    }

    /**
     * Pairs the model's correct and incorrect completions of the same item: per item (in first-seen order) the k-th
     * correct with the k-th incorrect completion, for k below the smaller count. Items with only correct or only
     * incorrect completions give no pair.
     *
     * @throws IllegalArgumentException if completions of one item have different prompts
     */
    public static List<TextPair> ownCompletions(List<GradedCompletion> completions) {
        Map<String, List<GradedCompletion>> good = new LinkedHashMap<>();
        Map<String, List<GradedCompletion>> bad = new LinkedHashMap<>();
        Map<String, String> prompts = new LinkedHashMap<>();
        for (GradedCompletion c : completions) {
            String prev = prompts.putIfAbsent(c.itemId(), c.prompt());
            if (prev != null && !prev.equals(c.prompt())) {
                throw new IllegalArgumentException("item " + c.itemId() + " has completions of two different prompts; pairs must"
                        + " share their prompt so that only the completion differs");
            }
            (c.correct() ? good : bad).computeIfAbsent(c.itemId(), k -> new ArrayList<>()).add(c);
        }
        List<TextPair> out = new ArrayList<>();
        for (String item : prompts.keySet()) {
            List<GradedCompletion> g = good.getOrDefault(item, List.of());
            List<GradedCompletion> b = bad.getOrDefault(item, List.of());
            for (int k = 0; k < Math.min(g.size(), b.size()); k++) {
                if (!g.get(k).completion().equals(b.get(k).completion())) {
                    out.add(new TextPair(item, g.get(k).prompt() + g.get(k).completion(), b.get(k).prompt() + b.get(k).completion()));
                }
            }
        }
        return out;
    }

    private static BigDecimal parse(String number) {
        return new BigDecimal(number.replace(",", ""));
    }

    private static String format(BigDecimal v, String like) {
        String plain = v.stripTrailingZeros().toPlainString();
        if (like.contains(".")) {
            int decimals = like.length() - like.indexOf('.') - 1;
            plain = v.setScale(decimals, java.math.RoundingMode.UNNECESSARY).toPlainString();
        }
        return plain;
    }

    private static String abbreviate(String s) {
        String flat = s.replace('\n', ' ');
        return "'" + (flat.length() <= 80 ? flat : flat.substring(0, 77) + "...") + "'";
    }
}
