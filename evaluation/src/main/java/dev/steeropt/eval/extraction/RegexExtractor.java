package dev.steeropt.eval.extraction;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * lm-evaluation-harness's {@code RegexFilter}: find every match of a pattern, pick one by {@code group_select}
 * (0 = first, -1 = last), take the first non-empty capturing group of that match (or the whole match when the pattern
 * has no groups), and strip it.
 */
public final class RegexExtractor implements AnswerExtractor {
    private final Pattern pattern;
    private final int groupSelect;

    /**
     * @param pattern     the pattern, as in the harness's {@code regex_pattern}
     * @param groupSelect index into the list of matches; negative counts from the end
     */
    public RegexExtractor(Pattern pattern, int groupSelect) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.groupSelect = groupSelect;
    }

    @Override
    public Optional<String> extract(String completion) {
        Matcher m = pattern.matcher(completion);
        List<String> matches = new ArrayList<>();
        while (m.find()) {
            matches.add(firstNonEmptyGroup(m));
        }
        int index = groupSelect < 0 ? matches.size() + groupSelect : groupSelect;
        if (index < 0 || index >= matches.size()) {
            return Optional.empty();
        }
        String picked = matches.get(index).strip();
        return picked.isEmpty() ? Optional.empty() : Optional.of(picked);
    }

    private static String firstNonEmptyGroup(Matcher m) {
        if (m.groupCount() == 0) {
            return m.group();
        }
        for (int g = 1; g <= m.groupCount(); g++) {
            String s = m.group(g);
            if (s != null && !s.isEmpty()) {
                return s;
            }
        }
        return "";
    }

    /** The pattern this extractor searches for. */
    public Pattern pattern() {
        return pattern;
    }

    @Override
    public String toString() {
        return "RegexExtractor[" + pattern.pattern() + ", groupSelect=" + groupSelect + "]";
    }
}
