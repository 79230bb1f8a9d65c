package dev.steeropt.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.steeropt.core.testing.Fixture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real pretrained stories260K (llama2.c, converted to the HF layout) reproduces the greedy continuation from
 * its README: BOS + "Once upon a time" → ", there was a little girl named Lily. …". Tokenised with its own
 * tokenizer.json through the HF tokenizers library.
 */
class Stories260KTest {
    private static final String EXPECTED = "Once upon a time, there was a little girl named Lily. She loved to play outside in"
            + " the park. One day, she saw a big, red ball. She wanted to play with it, but it was too high.\nLily";

    @Test
    void greedyFromBosReproducesTheReadmeContinuation() throws IOException {
        Path dir = Fixture.stories260K();
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"),
                Map.of("addSpecialTokens", "false"));
                LoadedModel m = LoadedModel.load(dir)) {
            long[] enc = tok.encode("Once upon a time").getIds();
            int[] prompt = new int[enc.length + 1];
            prompt[0] = 1; // <s>
            for (int i = 0; i < enc.length; i++) {
                prompt[i + 1] = (int) enc[i];
            }
            int[] out = m.generate(GenerationRequest.builder(PromptBatch.single(prompt)).maxNewTokens(60).build()).tokens()[0];
            long[] all = new long[prompt.length - 1 + out.length];
            for (int i = 1; i < prompt.length; i++) {
                all[i - 1] = prompt[i];
            }
            for (int i = 0; i < out.length; i++) {
                all[prompt.length - 1 + i] = out[i];
            }
            String text = tok.decode(all, true);
            assertTrue(text.startsWith(EXPECTED), "got: " + text);
            assertEquals(Set.of(2), m.eosTokenIds());
        }
    }

    private static final class Set {
        static java.util.Set<Integer> of(int v) {
            return java.util.Set.of(v);
        }
    }
}
