package dev.steeropt.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tokenizer against the reference vectors of the six tiny fixtures (exact ids and exact strings: tokenization has no
 * tolerance), against stories260K's sentencepiece-style BPE, and its error messages.
 */
class TokenizerTest {

    static String[] tinyModels() {
        return Fixtures.TINY_MODELS;
    }

    @ParameterizedTest
    @MethodSource("tinyModels")
    void reproducesEveryReferenceEncodeAndDecodeVector(String model) throws IOException {
        Path dir = Fixtures.tinyModel(model);
        JsonNode tests = new ObjectMapper().readTree(dir.resolve("reference/reference.json").toFile())
                .path("tokenizer_tests");
        assertEquals(11, tests.path("encode").size(), "encode vectors in " + model);
        assertEquals(4, tests.path("decode").size(), "decode vectors in " + model);
        try (Tokenizer tok = Tokenizer.load(dir)) {
            for (JsonNode v : tests.path("encode")) {
                String text = v.path("text").asText();
                assertArrayEquals(ints(v.path("ids_add_special_tokens")), tok.encode(text, true),
                        model + " encode with special tokens: " + text);
                assertArrayEquals(ints(v.path("ids_no_special_tokens")), tok.encode(text, false),
                        model + " encode without special tokens: " + text);
            }
            for (JsonNode v : tests.path("decode")) {
                int[] ids = ints(v.path("ids"));
                assertEquals(v.path("text").asText(), tok.decode(ids, false), model + " decode " + v.path("ids"));
                assertEquals(v.path("text_skip_special_tokens").asText(), tok.decode(ids, true),
                        model + " decode skipping specials " + v.path("ids"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("tinyModels")
    void specialIdsAndVocabSizeFollowTheConfigFiles(String model) throws IOException {
        Path dir = Fixtures.tinyModel(model);
        JsonNode gen = new ObjectMapper().readTree(dir.resolve("generation_config.json").toFile());
        try (Tokenizer tok = Tokenizer.load(dir)) {
            assertEquals(512, tok.vocabSize());
            assertArrayEquals(new int[] {gen.path("eos_token_id").asInt()}, tok.eosIds());
            assertEquals(OptionalInt.of(gen.path("bos_token_id").asInt()), tok.bosId());
            assertEquals(OptionalInt.of(510), tok.padId(), "pad falls back to eos like HF generate");
            assertEquals(java.util.Set.of(510, 511), tok.specialIds());
            assertEquals(OptionalInt.of(220), tok.tokenId("Ġ"));
        }
    }

    @Test
    void batchIsLeftPaddedLikeTheReferenceBatch() throws IOException {
        Path dir = Fixtures.tinyModel("tiny-llama-fp32");
        JsonNode batch = new ObjectMapper().readTree(dir.resolve("reference/reference.json").toFile()).path("batch");
        try (Tokenizer tok = Tokenizer.load(dir)) {
            List<int[]> prompts = new java.util.ArrayList<>();
            for (JsonNode p : batch.path("prompts")) {
                prompts.add(ints(p));
            }
            EncodedBatch padded = tok.leftPad(prompts);
            int[][] expectedIds = new int[3][];
            int[][] expectedMask = new int[3][];
            for (int b = 0; b < 3; b++) {
                expectedIds[b] = ints(batch.path("input_ids").get(b));
                expectedMask[b] = ints(batch.path("attention_mask").get(b));
            }
            assertEquals(new EncodedBatch(expectedIds, expectedMask), padded);
            assertArrayEquals(new int[] {5, 17, 33}, padded.lengths());

            EncodedBatch texts = tok.encodeBatch(List.of("Hello world", "The quick brown fox"), true);
            int[] longer = tok.encode("The quick brown fox", true);
            assertEquals(8, longer.length);
            assertArrayEquals(new int[] {510, 510, 510, 510, 510, 511, 323, 383}, texts.inputIds()[0]);
            assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1}, texts.attentionMask()[0]);
            assertArrayEquals(longer, texts.inputIds()[1]);
            assertArrayEquals(new int[] {3, 8}, texts.lengths());
        }
    }

    @Test
    void longTextsAreNotTruncatedAt512() {
        try (Tokenizer tok = Tokenizer.load(Fixtures.tinyModel("tiny-gpt2-fp32"))) {
            String text = "ab ".repeat(2000); // DJL's default would cut at 512 tokens
            int[] ids = tok.encode(text, false);
            assertTrue(ids.length > 1000, "expected > 1000 ids, got " + ids.length);
            assertEquals(text, tok.decode(ids, false));
        }
    }

    @Test
    void stories260KEncodesOnceUponATimeAsSentencepieceWouldAndRoundTrips() throws IOException {
        Path dir = Fixtures.stories260K();
        JsonNode vocab = new ObjectMapper().readTree(dir.resolve("tokenizer.json").toFile()).path("model")
                .path("vocab");
        try (Tokenizer tok = Tokenizer.load(dir)) {
            assertEquals(512, tok.vocabSize());
            assertEquals(OptionalInt.of(1), tok.bosId());
            assertArrayEquals(new int[] {2}, tok.eosIds());
            // The README's greedy run starts from BOS and the prompt: <s> then the pieces of "▁Once ▁upon ▁a ▁time".
            int[] ids = tok.encode("Once upon a time", true);
            assertEquals(1, ids[0], "BOS first");
            StringBuilder pieces = new StringBuilder();
            for (int i = 1; i < ids.length; i++) {
                pieces.append(pieceOf(vocab, ids[i]));
            }
            assertEquals("▁Once▁upon▁a▁time", pieces.toString());
            assertArrayEquals(java.util.Arrays.copyOfRange(ids, 1, ids.length), tok.encode("Once upon a time", false));
            // every word of this phrase is a single piece in the 512-piece vocabulary
            assertArrayEquals(new int[] {1, vocab.path("▁Once").asInt(), vocab.path("▁upon").asInt(),
                    vocab.path("▁a").asInt(), vocab.path("▁time").asInt()}, ids);
            assertEquals("Once upon a time", tok.decode(ids, true));
            assertEquals("<s> Once upon a time", tok.decode(ids, false));

            String story = "Once upon a time, there was a little girl named Lily. She loved to play outside in the"
                    + " park.\nLily saw a big, red ball.";
            assertEquals(story, tok.decode(tok.encode(story, true), true));
            // byte fallback: characters outside the 512 pieces become <0xXX> byte tokens (ids 3..258) and come back
            String exotic = "√ 你好 π ≈";
            int[] exoticIds = tok.encode(exotic, false);
            assertTrue(java.util.Arrays.stream(exoticIds).anyMatch(id -> id >= 3 && id <= 258), "byte tokens used");
            assertEquals(exotic, tok.decode(exoticIds, true));
        }
    }

    @Test
    void missingTokenizerJsonNamesTheFile(@TempDir Path dir) {
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.json is missing"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void malformedJsonNamesTheFileAndPosition(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"version\": \"1.0\",\n \"model\": {", StandardCharsets.UTF_8);
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("malformed JSON (") && e.getMessage().contains("at line 2, column 12"),
                e.getMessage());
    }

    @Test
    void malformedTokenizerConfigNamesThatFile(@TempDir Path dir) throws IOException {
        Path src = Fixtures.tinyModel("tiny-llama-fp32");
        Files.copy(src.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": ", StandardCharsets.UTF_8);
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer_config.json"), e.getMessage());
    }

    @Test
    void unknownSpecialTokenIsReported(@TempDir Path dir) throws IOException {
        Path src = Fixtures.tinyModel("tiny-llama-fp32");
        Files.copy(src.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|im_end|>\"}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains("eos_token \"<|im_end|>\" is not a token"), e.getMessage());
    }

    @Test
    void generationConfigMayListSeveralEosIds(@TempDir Path dir) throws IOException {
        Path src = Fixtures.tinyModel("tiny-llama-fp32");
        for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
            Files.copy(src.resolve(f), dir.resolve(f));
        }
        Files.writeString(dir.resolve("generation_config.json"), "{\"bos_token_id\": 511, \"eos_token_id\": [510, 13]}");
        try (Tokenizer tok = Tokenizer.load(dir)) {
            assertArrayEquals(new int[] {510, 13}, tok.eosIds());
            assertEquals(OptionalInt.of(510), tok.padId());
            assertFalse(tok.chatTemplate().isPresent());
            assertThrows(TokenizerException.class, () -> tok.encodeChat(List.of(ChatMessage.user("hi")), true));
        }
    }

    @Test
    void decodeRejectsIdsOutsideTheVocabulary() {
        try (Tokenizer tok = Tokenizer.load(Fixtures.tinyModel("tiny-qwen2-fp32"))) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {5, 512}, false));
            assertTrue(e.getMessage().contains("512"), e.getMessage());
        }
    }

    private static String pieceOf(JsonNode vocab, int id) {
        for (var it = vocab.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().asInt() == id) {
                return e.getKey();
            }
        }
        throw new AssertionError("id " + id + " not in the vocabulary");
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
