package dev.steeropt.studies.fuzz;

import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.optimizer.samplers.RandomSampler;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.Trial;
import dev.steeropt.studies.objective.ParamMapping;
import dev.steeropt.studies.spec.SearchSpaceSpec;
import dev.steeropt.studies.spec.Specs;
import dev.steeropt.studies.store.StorageUrl;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzes the strings a user types for a study: {@code --search-space} JSON (overlaid on the default space, then
 * sampled, so every accepted space must also yield trials) and {@code --storage} URLs (as the CLI parses them: every
 * refusal must be the storage-URL message, whatever the URL holds).
 */
class StudyInputsFuzzTest {
    private static final SearchSpaceSpec BASE = SearchSpaceSpec.defaults(4);
    private static final String EXAMPLE = "{\"layer\": [1, 3], \"alpha\": [-2.0, 2.0], \"method\": [\"CAA\", \"DAC\"],"
            + " \"temperature\": [0.0, 1.0], \"top_p\": [0.5, 0.95]}";
    private static final List<String> URLS = List.of("sqlite:///steeropt.db", "sqlite:////tmp/x/studies.db",
            "jdbc:sqlite:runs/s.db", "postgresql://user:p%40ss@localhost:5432/steeropt?sslmode=require",
            "postgresql+psycopg2://u@db.example:5433/opt", "postgres://u:pw@h/db", "jdbc:postgresql://h:5432/db?user=u");

    @AfterContainer
    static void report() {
        FuzzCheck.report("--search-space json", "storage url");
    }

    @Property(tries = 1500, seed = "5201")
    void searchSpace(@ForAll("searchSpaces") String json) {
        FuzzCheck.run("--search-space json", Mutations.describe(json), FuzzCheck.budgetFor(json.length()), () -> {
            SearchSpaceSpec space = Specs.overlay(BASE, json);
            space.requireLayersWithin(4);
            Study study = Study.builder().direction(StudyDirection.MAXIMIZE).sampler(new RandomSampler(1)).create();
            for (int i = 0; i < 3; i++) {
                Trial t = study.ask();
                new ParamMapping(space).suggest(t);
            }
            return space;
        });
    }

    @Property(tries = 2000, seed = "5202")
    void storageUrl(@ForAll("urls") String url) {
        FuzzCheck.run("storage url", Mutations.describe(url), FuzzCheck.budgetFor(url.length()), () -> {
            try {
                return StorageUrl.resolve(url, Map.of());
            } catch (IllegalArgumentException e) { // what StorageOptions turns into an Error: line, exit code 2
                if (!e.getMessage().startsWith("Storage URL '")) {
                    throw new AssertionError("not the storage-URL message: " + e.getMessage(), e);
                }
                throw UserFacingException.usage(e.getMessage(), null, null, e);
            }
        });
    }

    @Provide
    Arbitrary<String> searchSpaces() {
        return Mutations.ofJson(EXAMPLE);
    }

    /** Real URLs edited character by character, spliced with odd pieces, or random text. */
    @Provide
    Arbitrary<String> urls() {
        List<String> pieces = List.of("\u0000", "%", "%zz", "%2", "@", "@@", ":", "///", "////", "?", "?a=b&c",
                ":memory:", "file:", " ", "\n", "..", "\uD800", "x".repeat(5_000), "://".repeat(200), "sqlite:",
                "jdbc:", "postgresql://", "[::1]", ":99999999999");
        return Arbitraries.oneOf(
                Arbitraries.randomValue(r -> edit(URLS.get(r.nextInt(URLS.size())), pieces, r)),
                Arbitraries.strings().ofMaxLength(60),
                Arbitraries.of(pieces));
    }

    private static String edit(String url, List<String> pieces, Random r) {
        StringBuilder sb = new StringBuilder(url);
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            int at = r.nextInt(sb.length() + 1);
            switch (r.nextInt(3)) {
                case 0 -> sb.insert(at, pieces.get(r.nextInt(pieces.size())));
                case 1 -> sb.delete(at, Math.min(sb.length(), at + 1 + r.nextInt(8)));
                default -> sb.setLength(Math.min(sb.length(), at));
            }
        }
        return sb.toString();
    }
}
