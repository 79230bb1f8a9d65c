package dev.steeropt.studies.cli;

import dev.steeropt.studies.fuzz.FuzzCheck;
import dev.steeropt.studies.fuzz.Mutations;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.samplers.RandomSampler;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.study.StudyDirection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes inputs parsed inside the CLI: {@code ask --search-space} (Optuna's distribution JSON and the short
 * {@code {"type": ...}} form), parsed as the command does and then sampled twice, so an accepted space must also yield
 * trials; and {@code --input-ids} files of {@code generate}, {@code activations} and {@code validate-zero}.
 */
class CliInputsFuzzTest {
    private static final String EXAMPLE = "{\"x\": {\"type\": \"float\", \"low\": -4, \"high\": 4, \"log\": false},"
            + " \"n\": {\"name\": \"IntDistribution\", \"attributes\": {\"low\": 1, \"high\": 64, \"log\": true, \"step\": 1}},"
            + " \"m\": {\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": [\"CAA\", \"DAC\", 3, null]}},"
            + " \"s\": {\"type\": \"float\", \"low\": 0, \"high\": 1, \"step\": 0.25}}";

    private static final String IDS = "{\"input_ids\": [[0, 0, 511, 17, 42], [511, 3, 9, 27, 4]],"
            + " \"attention_mask\": [[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]]}";

    private static Path work;

    @BeforeContainer
    static void setUp() throws IOException {
        work = Files.createTempDirectory("fuzz-cli-");
    }

    @AfterContainer
    static void report() {
        FuzzCheck.report("ask --search-space json", "--input-ids json");
    }

    @Property(tries = 800, seed = "5302")
    void inputIds(@ForAll("idFiles") String json) throws IOException {
        Path f = work.resolve("ids.json");
        Files.deleteIfExists(f);
        Files.write(f, json.getBytes(StandardCharsets.UTF_8));
        FuzzCheck.run("--input-ids json", Mutations.describe(json), FuzzCheck.budgetFor(json.length()),
                () -> ModelInputs.readIds(f));
    }

    @Provide
    Arbitrary<String> idFiles() {
        return Mutations.ofJson(IDS);
    }

    @Property(tries = 1000, seed = "5301")
    void askSearchSpace(@ForAll("spaces") String json) {
        FuzzCheck.run("ask --search-space json", Mutations.describe(json), FuzzCheck.budgetFor(json.length()), () -> {
            Map<String, Distribution> space = AskCommand.parseSearchSpace(json);
            Study study = Study.builder().direction(StudyDirection.MAXIMIZE).sampler(new RandomSampler(1)).create();
            study.ask(space);
            return study.ask(space).params();
        });
    }

    @Provide
    Arbitrary<String> spaces() {
        return Mutations.ofJson(EXAMPLE);
    }
}
