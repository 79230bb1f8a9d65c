package dev.steeropt.errors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Describes a JSON parse error for a user: the parser's own sentence and the line and column, without the source
 * excerpt and feature names ({@code StreamReadFeature...}) that Jackson's {@code getMessage()} appends.
 */
public final class JsonProblem {
    private JsonProblem() {
    }

    /** For example {@code "Unexpected character ('}' (code 125)) at line 3, column 7"}. */
    public static String describe(JsonProcessingException e) {
        String original = e.getOriginalMessage();
        String text = original == null || original.isBlank() ? e.getClass().getSimpleName() : original.strip();
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            text += " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        }
        return UserFacingException.oneLine(text);
    }
}
