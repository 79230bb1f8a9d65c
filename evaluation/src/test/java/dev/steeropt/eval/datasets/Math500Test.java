package dev.steeropt.eval.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.eval.EvaluationInputException;
import dev.steeropt.eval.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Math500Test {
    @TempDir
    Path tmp;

    @Test
    void loadsAllItemsWithUniqueIdsAndMetadata() {
        List<Problem> items = Math500.load(SharedData.dataDir());
        assertEquals(500, items.size());
        Problem first = items.get(0);
        assertEquals("test/precalculus/807.json", first.id());
        assertEquals("\\left( 3, \\frac{\\pi}{2} \\right)", first.goldAnswer());
        assertEquals("Precalculus", first.metadata().get("subject"));
        assertEquals("2", first.metadata().get("level"));
        assertEquals(500, items.stream().map(Problem::id).distinct().count());
    }

    @Test
    void duplicateUniqueIdFails() throws IOException {
        Path dir = tmp.resolve("d");
        Files.createDirectories(dir.resolve("math500"));
        String line = "{\"problem\":\"p\",\"solution\":\"\\\\boxed{1}\",\"answer\":\"1\",\"subject\":\"A\","
                + "\"level\":1,\"unique_id\":\"x\"}\n";
        Files.writeString(dir.resolve("math500/test.jsonl"), line + line);
        EvaluationInputException e = assertThrows(EvaluationInputException.class, () -> Math500.load(dir));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }
}
