package dev.steeropt.eval.extraction;

import java.util.Optional;

/**
 * The content of the last {@code \boxed{...}} or {@code \fbox{...}} in a completion, with brace matching so nested
 * groups such as {@code \boxed{\frac{1}{2}}} come out whole. The unbraced form {@code \boxed 5} yields the token up to
 * the next space or {@code $}. Escaped braces ({@code \{}, {@code \}}) do not count as grouping. An unclosed box gives
 * nothing.
 */
public final class BoxedAnswerExtractor implements AnswerExtractor {
    /** The shared instance (the extractor is stateless). */
    public static final BoxedAnswerExtractor INSTANCE = new BoxedAnswerExtractor();

    private BoxedAnswerExtractor() {
    }

    @Override
    public Optional<String> extract(String completion) {
        int boxed = completion.lastIndexOf("\\boxed");
        int fbox = completion.lastIndexOf("\\fbox");
        int start;
        int nameLength;
        if (boxed < 0 && fbox < 0) {
            return Optional.empty();
        } else if (boxed >= fbox) {
            start = boxed;
            nameLength = "\\boxed".length();
        } else {
            start = fbox;
            nameLength = "\\fbox".length();
        }
        int i = start + nameLength;
        if (i < completion.length() && completion.charAt(i) == ' ') {
            int end = i + 1;
            while (end < completion.length() && completion.charAt(end) != '$' && completion.charAt(end) != ' '
                    && completion.charAt(end) != '\n') {
                end++;
            }
            String token = completion.substring(i + 1, end).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        }
        while (i < completion.length() && Character.isWhitespace(completion.charAt(i))) {
            i++;
        }
        if (i >= completion.length() || completion.charAt(i) != '{') {
            return Optional.empty();
        }
        int close = matchingBrace(completion, i);
        if (close < 0) {
            return Optional.empty();
        }
        String content = completion.substring(i + 1, close).strip();
        return content.isEmpty() ? Optional.empty() : Optional.of(content);
    }

    /**
     * The index of the brace closing the one at {@code open}, or -1 if unbalanced. Backslash-escaped braces are
     * skipped.
     */
    static int matchingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++; // skip the escaped character (\{ \} \\)
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }
}
