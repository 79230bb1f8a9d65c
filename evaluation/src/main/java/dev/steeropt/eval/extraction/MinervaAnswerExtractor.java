package dev.steeropt.eval.extraction;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Minerva-style final-answer sentence: the text after the last {@code "final answer is"} up to
 * {@code ". I hope it is correct"} or the end of the line, with surrounding {@code $} removed. Used as a fallback when a
 * MATH completion has no {@code \boxed{}}.
 */
public final class MinervaAnswerExtractor implements AnswerExtractor {
    /** The shared instance. */
    public static final MinervaAnswerExtractor INSTANCE = new MinervaAnswerExtractor();

    private static final Pattern FINAL = Pattern.compile("(?i)final answer is\\s*(.+?)(?:\\.\\s*I hope it is correct|\\n|$)");

    private MinervaAnswerExtractor() {
    }

    @Override
    public Optional<String> extract(String completion) {
        Matcher m = FINAL.matcher(completion);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null) {
            return Optional.empty();
        }
        String s = last.strip();
        while (s.startsWith("$")) {
            s = s.substring(1);
        }
        while (s.endsWith("$")) {
            s = s.substring(0, s.length() - 1);
        }
        s = s.strip();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
