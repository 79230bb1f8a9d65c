package dev.steeropt.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.testing.Fixture;
import dev.steeropt.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The real pretrained stories260K (llama2.c, converted to the HF layout) reproduces the greedy continuation from
 * its README: BOS + "Once upon a time" → ", there was a little girl named Lily. …". Tokenised with its own
 * tokenizer.json through {@link Tokenizer}.
 */
class Stories260KTest {
    private static final String EXPECTED = "Once upon a time, there was a little girl named Lily. She loved to play outside in"
            + " the park. One day, she saw a big, red ball. She wanted to play with it, but it was too high.\nLily";

    @Test
    void greedyFromBosReproducesTheReadmeContinuation() {
        Path dir = Fixture.stories260K();
        try (Tokenizer tok = Tokenizer.load(dir); LoadedModel m = LoadedModel.load(dir)) {
            int[] enc = tok.encode("Once upon a time", false);
            int[] prompt = new int[enc.length + 1];
            prompt[0] = tok.bosId().orElseThrow();
            System.arraycopy(enc, 0, prompt, 1, enc.length);
            assertEquals(1, prompt[0], "<s>");
            int[] out = m.generate(GenerationRequest.builder(PromptBatch.single(prompt)).maxNewTokens(60).build()).tokens()[0];
            int[] all = new int[enc.length + out.length];
            System.arraycopy(enc, 0, all, 0, enc.length);
            System.arraycopy(out, 0, all, enc.length, out.length);
            String text = tok.decode(all, true);
            assertTrue(text.startsWith(EXPECTED), "got: " + text);
            assertEquals(java.util.Set.of(2), m.eosTokenIds());
        }
    }
}
