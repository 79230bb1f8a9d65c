package dev.steeropt.eval.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonLocation;
import dev.steeropt.eval.EvaluationInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSON Lines file strictly: every line must be one JSON object. A blank or malformed line fails with the file
 * name and the 1-based line number; nothing is skipped.
 */
public final class JsonlReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One parsed line.
     *
     * @param index 0-based line index (item ids use it)
     * @param node  the JSON object on that line
     */
    public record Line(int index, JsonNode node) {
        public Line {
            if (index < 0) {
                throw new IllegalArgumentException("line index must be >= 0, got " + index);
            }
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("line " + (index + 1) + " must hold a JSON object, got " + node);
            }
        }
    }

    private JsonlReader() {
    }

    /**
     * Reads every line of {@code file}.
     *
     * @param file         the JSONL file
     * @param howToObtain  appended to the "file not found" error, telling the user where the file comes from
     * @return the lines in file order
     * @throws EvaluationInputException if the file is missing, unreadable, or a line is blank or not a JSON object
     */
    public static List<Line> read(Path file, String howToObtain) {
        List<Line> lines = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int index = 0;
            while ((text = reader.readLine()) != null) {
                lines.add(new Line(index, parseObject(file, index, text)));
                index++;
            }
        } catch (NoSuchFileException e) {
            throw new EvaluationInputException("File " + file.toAbsolutePath() + " not found",
                    "it is needed to load this dataset", howToObtain, e);
        } catch (IOException e) {
            throw new EvaluationInputException("Cannot read " + file.toAbsolutePath(), e.toString(),
                    "Check that the file is readable UTF-8 JSON Lines. " + howToObtain, e);
        }
        return lines;
    }

    private static JsonNode parseObject(Path file, int index, String text) {
        String where = file.toAbsolutePath() + " line " + (index + 1);
        if (text.isBlank()) {
            throw new EvaluationInputException(where + " is blank",
                    "JSON Lines needs one JSON object per line and blank lines are not skipped silently",
                    "Remove the blank line.");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new EvaluationInputException(where + " is not valid JSON", describe(e),
                    "Fix or remove that line.", e);
        }
        if (node == null || !node.isObject()) {
            throw new EvaluationInputException(where + " is not a JSON object",
                    "got " + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase()),
                    "Each line must be one JSON object such as {\"question\": ..., \"answer\": ...}.");
        }
        return node;
    }

    /**
     * Returns a required string field of a line.
     *
     * @throws EvaluationInputException if the field is absent, not a string, or blank
     */
    public static String requireText(Path file, Line line, String field) {
        JsonNode value = line.node().get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            String got = value == null ? "it is missing" : "got " + value;
            throw new EvaluationInputException(file.toAbsolutePath() + " line " + (line.index() + 1)
                    + ": field '" + field + "' must be a non-blank string", got,
                    "Fix that line; the file may be from a different dataset or an incompatible export.");
        }
        return value.asText();
    }

    /** Returns an optional field rendered as text ({@code null} if absent or JSON null). */
    public static String optionalText(Line line, String field) {
        JsonNode value = line.node().get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** Jackson's own sentence with line and column, without the source excerpt it appends. */
    private static String describe(JsonProcessingException e) {
        String text = String.valueOf(e.getOriginalMessage()).replaceAll("\\[Source:[^\\]]*\\]", "").replaceAll("\\s*\\R\\s*", " ").strip();
        JsonLocation at = e.getLocation();
        return at != null && at.getLineNr() > 0 ? text + " at line " + at.getLineNr() + ", column " + at.getColumnNr() : text;
    }
}
