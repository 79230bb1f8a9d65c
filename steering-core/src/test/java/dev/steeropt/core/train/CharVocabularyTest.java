package dev.steeropt.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The written tokenizer.json, loaded by the runtime's HF tokenizer, must encode and decode exactly as the vocabulary. */
class CharVocabularyTest {
    private static final CharVocabulary V = CharVocabulary.ascii();

    @Test
    void hundredIdsWithSpecialsFirst() {
        assertEquals(100, V.size());
        assertEquals("<unk>", V.token(CharVocabulary.UNK));
        assertEquals("<s>", V.token(CharVocabulary.BOS));
        assertEquals("</s>", V.token(CharVocabulary.EOS));
        assertEquals("<pad>", V.token(CharVocabulary.PAD));
        assertEquals("\n", V.token(4));
        assertEquals(" ", V.token(5));
        assertEquals("~", V.token(99));
    }

    @Test
    void coversPrintableAsciiOnly() {
        assertTrue(V.covers("Question: 3*4=<<3*4=12>>12\n#### 12"));
        assertFalse(V.covers("caf\u00e9"));
        assertArrayEquals(new int[] {CharVocabulary.UNK}, V.encode("\u00e9"));
    }

    @Test
    void runtimeTokenizerMatchesTheVocabulary(@TempDir Path dir) {
        V.write(dir, 320);
        TrainableLlama.writeJson(dir.resolve("generation_config.json"),
                java.util.Map.of("bos_token_id", 1, "eos_token_id", 2, "pad_token_id", 3));
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < V.size(); i++) {
            all.append(i >= 4 ? V.token(i) : "");
        }
        List<String> texts = List.of("Question: Sam has 11 apples.\nAnswer: 11+5=<<11+5=16>>16\n#### 16", all.toString(),
                "  leading and trailing spaces  ", "~{}|`^_\\\"' symbols", "");
        try (Tokenizer tok = Tokenizer.load(dir)) {
            assertEquals(CharVocabulary.BOS, tok.bosId().getAsInt());
            assertArrayEquals(new int[] {CharVocabulary.EOS}, tok.eosIds());
            assertEquals(CharVocabulary.PAD, tok.padId().getAsInt());
            for (String t : texts) {
                int[] expected = new int[t.length() + 1];
                expected[0] = CharVocabulary.BOS;
                System.arraycopy(V.encode(t), 0, expected, 1, t.length());
                int[] ids = tok.encode(t, true);
                assertArrayEquals(expected, ids, "ids of '" + t + "'");
                assertArrayEquals(V.encode(t), tok.encode(t, false), "ids without specials of '" + t + "'");
                assertEquals(t, tok.decode(ids, true), "decode of '" + t + "'");
                assertEquals(t, V.decode(ids));
            }
            int[] unknown = {CharVocabulary.BOS, 'a' - ' ' + 5, CharVocabulary.UNK, 'b' - ' ' + 5};
            assertArrayEquals(unknown, tok.encode("a\tb", true), "a tab is outside the vocabulary");
            assertArrayEquals(V.encode("a\tb"), tok.encode("a\tb", false));
        }
    }
}
