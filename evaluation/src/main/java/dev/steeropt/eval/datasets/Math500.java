package dev.steeropt.eval.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MATH-500 from local JSON Lines: one object per line with {@code problem}, {@code solution}, {@code answer},
 * {@code subject}, {@code level} and {@code unique_id}.
 *
 * <p>The item id is the {@code unique_id} (e.g. {@code test/precalculus/807.json}); the gold final answer is the
 * {@code answer} field; {@code subject} and {@code level} go into the metadata.
 */
public final class Math500 {
    private Math500() {
    }

    /** Loads {@code dataDir/math500/test.jsonl}. */
    public static List<Problem> load(Path dataDir) {
        Path file = DatasetFile.MATH500_TEST.resolve(dataDir);
        List<JsonlReader.Line> lines = JsonlReader.read(file, DatasetFile.MATH500_TEST.howToObtain(dataDir));
        List<Problem> problems = new ArrayList<>(lines.size());
        for (JsonlReader.Line line : lines) {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("dataset", "math500");
            String subject = JsonlReader.optionalText(line, "subject");
            String level = JsonlReader.optionalText(line, "level");
            if (subject != null) {
                meta.put("subject", subject);
            }
            if (level != null) {
                meta.put("level", level);
            }
            problems.add(new Problem(JsonlReader.requireText(file, line, "unique_id"),
                    JsonlReader.requireText(file, line, "problem"),
                    JsonlReader.requireText(file, line, "solution"),
                    JsonlReader.requireText(file, line, "answer"), meta));
        }
        Datasets.requireUniqueIds(problems, file.toAbsolutePath().toString());
        return List.copyOf(problems);
    }
}
