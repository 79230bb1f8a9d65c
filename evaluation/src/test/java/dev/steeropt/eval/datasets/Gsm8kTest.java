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

class Gsm8kTest {
    @TempDir
    Path tmp;

    @Test
    void loadsBothSplitsWithLineNumberIds() {
        List<Problem> test = Gsm8k.load(SharedData.dataDir(), Gsm8k.Split.TEST);
        List<Problem> train = Gsm8k.load(SharedData.dataDir(), Gsm8k.Split.TRAIN);
        assertEquals(1319, test.size());
        assertEquals(7473, train.size());
        Problem first = test.get(0);
        assertEquals("gsm8k-test-0", first.id());
        assertTrue(first.question().startsWith("Janet"));
        assertEquals("18", first.goldAnswer());
        assertTrue(first.goldSolution().endsWith("#### 18"));
        assertEquals("gsm8k-train-7472", train.get(7472).id());
        assertEquals("test", first.metadata().get("split"));
    }

    @Test
    void finalAnswerIsTextAfterLastHashes() {
        assertEquals("1,234", Gsm8k.finalAnswer("a\n#### 1,234 "));
        assertEquals("5", Gsm8k.finalAnswer("#### 4\n#### 5"));
        assertThrows(IllegalArgumentException.class, () -> Gsm8k.finalAnswer("no marker 5"));
    }

    private Path dataDirWithTest(String content) throws IOException {
        Path dir = tmp.resolve("data");
        Files.createDirectories(dir.resolve("gsm8k"));
        Files.writeString(dir.resolve("gsm8k/test.jsonl"), content);
        return dir;
    }

    @Test
    void malformedLineFailsWithFileAndLineNumber() throws IOException {
        Path dir = dataDirWithTest("{\"question\":\"q\",\"answer\":\"#### 1\"}\n{\"question\":\"q\", \"answer\"\n");
        EvaluationInputException e = assertThrows(EvaluationInputException.class,
                () -> Gsm8k.load(dir, Gsm8k.Split.TEST));
        assertTrue(e.getMessage().contains("test.jsonl line 2"), e.getMessage());
    }

    @Test
    void blankLineMissingFieldOrMissingMarkerFail() throws IOException {
        Path blank = dataDirWithTest("{\"question\":\"q\",\"answer\":\"#### 1\"}\n\n{\"question\":\"q\",\"answer\":\"#### 2\"}\n");
        assertTrue(assertThrows(EvaluationInputException.class, () -> Gsm8k.load(blank, Gsm8k.Split.TEST))
                .getMessage().contains("line 2 is blank"));
        Path noAnswer = dataDirWithTest("{\"question\":\"q\"}\n");
        assertTrue(assertThrows(EvaluationInputException.class, () -> Gsm8k.load(noAnswer, Gsm8k.Split.TEST))
                .getMessage().contains("'answer'"));
        Path noMarker = dataDirWithTest("{\"question\":\"q\",\"answer\":\"it is 5\"}\n");
        assertTrue(assertThrows(EvaluationInputException.class, () -> Gsm8k.load(noMarker, Gsm8k.Split.TEST))
                .getMessage().contains("line 1"));
    }

    @Test
    void missingFileNamesTheFileAndItsSource() {
        EvaluationInputException e = assertThrows(EvaluationInputException.class,
                () -> Gsm8k.load(tmp.resolve("nowhere"), Gsm8k.Split.TRAIN));
        assertTrue(e.getMessage().contains(tmp.resolve("nowhere/gsm8k/train.jsonl").toAbsolutePath().toString()),
                e.getMessage());
        assertTrue(e.fix().contains("openai/gsm8k") && e.fix().contains("split train"), e.fix());
    }

    @Test
    void datasetNamesParseAndUnknownNamesFail() {
        assertEquals(DatasetName.MATH500, DatasetName.parse("MATH-500"));
        assertEquals(DatasetName.GSM8K, DatasetName.parse(" gsm8k "));
        EvaluationInputException e = assertThrows(EvaluationInputException.class, () -> DatasetName.parse("mmlu"));
        assertTrue(e.getMessage().contains("gsm8k, math500, synthetic"), e.getMessage());
        assertThrows(EvaluationInputException.class, () -> Datasets.load(DatasetName.MATH500, "train", tmp));
    }
}
