package dev.steeropt.studies.fuzz;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Datasets;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.PredictionScorer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the JSON Lines files a user hands the evaluation: dataset files (GSM8K and MATH-500 layouts, cut from the
 * real files) and predictions files for {@code score}, mutated per line (tree edits of one record) and as a whole
 * (bytes, blank, duplicated, dropped and joined lines). Scoring runs the graders on the mutated completions.
 */
class EvaluationFilesFuzzTest {
    private static final int LINES = 12;

    private static Path work;
    private static List<String> gsm8k;
    private static List<String> math500;
    private static List<String> predictions;

    @BeforeContainer
    static void setUp() throws IOException {
        work = Files.createTempDirectory("fuzz-eval-");
        Path data = FuzzFixtures.dataDir();
        gsm8k = Files.readAllLines(data.resolve("gsm8k/test.jsonl")).subList(0, LINES);
        math500 = Files.readAllLines(data.resolve("math500/test.jsonl")).subList(0, LINES);
        Path gold = work.resolve("gold");
        write(gold.resolve("gsm8k/test.jsonl"), gsm8k);
        predictions = new ArrayList<>();
        for (Problem p : Datasets.load(DatasetName.GSM8K, "test", gold)) {
            ObjectNode line = JsonNodeFactory.instance.objectNode();
            line.put("id", p.id());
            line.put("completion", "Let me think step by step. The answer is " + p.goldAnswer() + ".\n#### " + p.goldAnswer());
            predictions.add(line.toString());
        }
    }

    @AfterContainer
    static void report() {
        FuzzCheck.report("dataset jsonl (gsm8k)", "dataset jsonl (math500)", "predictions jsonl");
    }

    @Property(tries = 2400, seed = "4201")
    void datasetFile(@ForAll("seeds") long seed, @ForAll("datasets") DatasetName dataset) {
        String name = dataset.cliName();
        String file = mutateLines(dataset == DatasetName.GSM8K ? gsm8k : math500, new Random(seed));
        Path dir = work.resolve(name + "-case");
        write(dir.resolve(name + "/test.jsonl"), file);
        FuzzCheck.run("dataset jsonl (" + name + ")", Mutations.describe(file), FuzzCheck.budgetFor(file.length()),
                () -> Datasets.load(dataset, "test", dir));
    }

    @Property(tries = 1500, seed = "4203")
    void predictionsFile(@ForAll("seeds") long seed) {
        String file = mutateLines(predictions, new Random(seed));
        Path f = work.resolve("predictions.jsonl");
        write(f, file);
        FuzzCheck.run("predictions jsonl", Mutations.describe(file), FuzzCheck.budgetFor(file.length()),
                () -> PredictionScorer.toJson(PredictionScorer.score(DatasetName.GSM8K, "test", work.resolve("gold"), f)));
    }

    /** The datasets read from a user's files (synthetic problems are generated in-process). */
    @Provide
    Arbitrary<DatasetName> datasets() {
        return Arbitraries.of(DatasetName.GSM8K, DatasetName.MATH500);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    /** One edit of a JSON Lines file: a record's tree, the bytes, or the lines themselves. */
    static String mutateLines(List<String> original, Random r) {
        List<String> lines = new ArrayList<>(original);
        int i = r.nextInt(lines.size());
        switch (r.nextInt(8)) {
            case 0, 1, 2 -> lines.set(i, Mutations.mutateJson(Mutations.parse(lines.get(i)), r));
            case 3 -> {
                return new String(Mutations.mutateBytes(String.join("\n", lines).getBytes(StandardCharsets.UTF_8), r),
                        StandardCharsets.UTF_8);
            }
            case 4 -> lines.add(i, r.nextBoolean() ? "" : "   ");
            case 5 -> lines.add(i, lines.get(r.nextInt(lines.size())));
            case 6 -> lines.remove(i);
            default -> {
                if (i + 1 < lines.size()) {
                    lines.set(i, lines.get(i) + lines.remove(i + 1));
                } else {
                    lines.add(Mutations.randomJson(r, 2).toString());
                }
            }
        }
        return String.join("\n", lines) + (r.nextBoolean() ? "\n" : "");
    }

    private static void write(Path file, List<String> lines) {
        write(file, String.join("\n", lines) + "\n");
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file); // a new file is far cheaper on ext4 than a truncated one
            Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
