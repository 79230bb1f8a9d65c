package dev.steeropt.eval.datasets;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.steeropt.eval.EvaluationInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The datasets this module knows, with the names used on the command line and in study specs. */
public enum DatasetName {
    /** GSM8K (openai/gsm8k, config main): splits {@code train} and {@code test}. */
    GSM8K("gsm8k"),
    /** MATH-500 (HuggingFaceH4/MATH-500): split {@code test}. */
    MATH500("math500"),
    /** Generated grade-school word problems in GSM8K's format, see {@code dev.steeropt.eval.synthetic}. */
    SYNTHETIC("synthetic");

    private final String cliName;

    DatasetName(String cliName) {
        this.cliName = cliName;
    }

    /** The lower-case name used on the command line and in JSON (study specs), e.g. {@code gsm8k}. */
    @JsonValue
    public String cliName() {
        return cliName;
    }

    /**
     * Parses a command-line name, case-insensitively.
     *
     * @throws EvaluationInputException for an unknown name, listing the known ones
     */
    @JsonCreator
    public static DatasetName parse(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replace("-", "");
        for (DatasetName d : values()) {
            if (d.cliName.equals(wanted)) {
                return d;
            }
        }
        throw new EvaluationInputException("Unknown dataset '" + name + "'",
                "this module knows " + Arrays.stream(values()).map(DatasetName::cliName)
                        .collect(Collectors.joining(", ")),
                "Pass one of those names.");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
