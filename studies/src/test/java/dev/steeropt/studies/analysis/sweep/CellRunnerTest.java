package dev.steeropt.studies.analysis.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.steering.AlphaUnits;
import dev.steeropt.studies.analysis.AnalysisInputs;
import dev.steeropt.studies.analysis.AnalysisRun;
import dev.steeropt.studies.analysis.directions.DirectionAnalysis;
import dev.steeropt.studies.analysis.directions.DirectionSet;
import dev.steeropt.studies.analysis.reads.ReadMode;
import dev.steeropt.studies.cli.ModelReference;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The sweep's batched path (the strengths of a layer as one batch, each row its own strength, the repeated prompts
 * prefilled once) gives every item the completion that the cell run alone gives it, and a cell's completions are not
 * another strength's: a row-to-strength or row-to-item mix-up fails.
 */
class CellRunnerTest {
    @TempDir
    Path tmp;

    @Test
    void batchedStrengthsEqualCellsRunOneByOne() {
        AnalysisInputs inputs = new AnalysisInputs();
        new CommandLine(new Holder(inputs)).registerConverter(ModelReference.class, ModelReference::parse)
                .parseArgs("--model", "demo-hasty", "--n", "24", "--n-train", "16", "--out", tmp.toString());
        PrintWriter sink = new PrintWriter(new StringWriter());
        try (AnalysisRun run = inputs.open("sweep", ModelReference.parse("demo-careful"), sink, sink)) {
            DirectionSet dirs = DirectionAnalysis.cross(run, List.of(1), ReadMode.LAST_PROMPT_TOKEN);
            List<Double> strengths = List.of(-2.0, -1.0);
            try (CellRunner runner = new CellRunner(run, dirs, SteerPositions.LAST_PROMPT_TOKEN, AlphaUnits.RAW, true)) {
                Map<Double, List<CellRunner.Completion>> batched = runner.cells(1, strengths);
                Map<Double, List<CellRunner.Completion>> again = runner.cells(1, strengths); // the reused prefix
                for (double s : strengths) {
                    List<CellRunner.Completion> alone = runner.cell(1, s);
                    assertEquals(texts(alone), texts(batched.get(s)), "strength " + s);
                    assertEquals(texts(alone), texts(again.get(s)), "strength " + s + " from the reused prefix");
                }
                assertNotEquals(texts(batched.get(-2.0)), texts(batched.get(-1.0)), "the strengths differ");
                assertNotEquals(texts(runner.cell(1, 0)), texts(batched.get(-2.0)), "and differ from the baseline");
            }
        }
    }

    private static List<String> texts(List<CellRunner.Completion> cs) {
        return cs.stream().map(c -> c.itemId() + ":" + c.text()).toList();
    }

    @CommandLine.Command(name = "holder")
    static final class Holder {
        @CommandLine.Mixin
        AnalysisInputs inputs;

        Holder(AnalysisInputs inputs) {
            this.inputs = inputs;
        }
    }
}
