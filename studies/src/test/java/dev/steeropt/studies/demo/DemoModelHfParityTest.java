package dev.steeropt.studies.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.runtime.GenerationRequest;
import dev.steeropt.core.runtime.GenerationResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.eval.datasets.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each embedded demo model loads in Hugging Face transformers ({@code studies/tools/hf-demo-check.py}) and decodes the
 * same greedy tokens as our runtime, on 8 of its manifest's validation problems (two per difficulty, careful and hasty
 * answers alike). Needs a Python with torch and transformers: {@code ../.venv-hf/bin/python} (what {@code .ci/run}
 * installs from the local wheel index), else {@code -Dsteeropt.python}, else {@code python3}; skipped, saying why, when
 * none imports them.
 */
class DemoModelHfParityTest {
    private static final int NEW_TOKENS = 80;

    @ParameterizedTest
    @EnumSource(DemoModel.class)
    void transformersDecodesTheSameGreedyTokens(DemoModel which) throws Exception {
        String python = python();
        assumeTrue(python != null, "no Python with torch and transformers (run .ci/run, or pass -Dsteeropt.python)");
        Path dir = which.directory();
        List<Problem> all = DemoModelTraining.validationProblems(dir);
        List<String> prompts = new ArrayList<>();
        int per = all.size() / 4;
        for (int d = 0; d < 4; d++) {
            prompts.add(DemoData.prompt(all.get(d * per).question()));
            prompts.add(DemoData.prompt(all.get(d * per + 1).question()));
        }
        List<String> cmd = new ArrayList<>(List.of(python, Path.of("tools", "hf-demo-check.py").toString(),
                dir.toString(), Integer.toString(NEW_TOKENS)));
        cmd.addAll(prompts);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor(5, TimeUnit.MINUTES), "transformers did not finish in 5 minutes");
        assertEquals(0, p.exitValue(), out);
        JsonNode hf = new ObjectMapper().readTree(out).get("rows");
        try (LoadedModel m = LoadedModel.load(dir); Tokenizer tok = Tokenizer.load(dir)) {
            for (int i = 0; i < prompts.size(); i++) {
                int[] ids = tok.encode(prompts.get(i), true);
                GenerationResult r = m.generate(GenerationRequest.builder(PromptBatch.single(ids))
                        .maxNewTokens(NEW_TOKENS).stopTokenIds(m.eosTokenIds()).build());
                int[] ours = withoutStop(r.tokens()[0], m.eosTokenIds());
                int[] theirs = new int[hf.get(i).get("tokens").size()];
                for (int t = 0; t < theirs.length; t++) {
                    theirs[t] = hf.get(i).get("tokens").get(t).asInt();
                }
                assertEquals(Arrays.toString(theirs), Arrays.toString(ours), which + " prompt " + i + ": "
                        + tok.decode(ours, true));
            }
        }
    }

    private static int[] withoutStop(int[] tokens, java.util.Set<Integer> stops) {
        if (tokens.length > 0 && stops.contains(tokens[tokens.length - 1])) {
            return Arrays.copyOf(tokens, tokens.length - 1);
        }
        return tokens;
    }

    private static String python() throws InterruptedException {
        List<String> candidates = new ArrayList<>();
        Path venv = Path.of("..", ".venv-hf", "bin", "python");
        if (Files.isExecutable(venv)) {
            candidates.add(venv.toString());
        }
        if (System.getProperty("steeropt.python") != null) {
            candidates.add(System.getProperty("steeropt.python"));
        }
        candidates.add("python3");
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "-c", "import torch, transformers").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0) {
                    return c;
                }
            } catch (java.io.IOException e) {
                // not installed: try the next one
            }
        }
        return null;
    }
}
