package dev.steeropt.core.model.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Describes a JSON parse error for a user: the parser's own sentence and the line and column, without the source
 * excerpt and feature names ({@code StreamReadFeature...}) that Jackson's {@code getMessage()} appends.
 */
public final class JsonProblem {
    private JsonProblem() {
    }

    /** A location Jackson writes into some messages, e.g. "[Source: REDACTED (...); line: 1, column: 2]". */
    private static final Pattern SOURCE = Pattern.compile("\\[Source:[^\\]]*\\]");
    private static final Pattern LINE_COLUMN = Pattern.compile("line: (\\d+), column: (\\d+)");

    /** For example {@code "Unexpected character ('}' (code 125)) at line 3, column 7"}. */
    public static String describe(JsonProcessingException e) {
        String original = e.getOriginalMessage();
        String text = original == null || original.isBlank() ? e.getClass().getSimpleName() : withoutSource(original.strip());
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            text += " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        }
        return text.replaceAll("\\s*\\R\\s*", " ");
    }

    /** The message with each "[Source: ...]" replaced by its line and column (or removed when it has none). */
    static String withoutSource(String message) {
        Matcher m = SOURCE.matcher(message);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Matcher lc = LINE_COLUMN.matcher(m.group());
            m.appendReplacement(sb, lc.find() ? "line " + lc.group(1) + ", column " + lc.group(2) : "");
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
