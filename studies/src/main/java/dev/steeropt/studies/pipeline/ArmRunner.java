package dev.steeropt.studies.pipeline;

import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptState;
import dev.steeropt.core.runtime.SamplingParams;
import dev.steeropt.core.steering.SteeredGeneration;
import dev.steeropt.core.steering.SteeredResult;
import dev.steeropt.core.steering.SteeringMethod;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.Grade;
import dev.steeropt.eval.scoring.Grader;
import dev.steeropt.studies.objective.ItemOutcome;
import dev.steeropt.studies.objective.ParamMapping;
import dev.steeropt.studies.objective.TrialConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates and grades prompt chunks under one {@link TrialConfig} through the runtime's {@link SteeredGeneration}:
 * CAA at the study's positions (from the last prompt token on by default, so prefilled prefixes stay valid; at
 * {@code all} positions the prompt is rerun from the highest block input the chunk kept at or below the layer), DAC
 * from the last prompt token on; α = 0 runs the unsteered baseline path. Sampling uses each item's own seed. Only
 * plain Java leaves a call.
 */
final class ArmRunner {
    private final LoadedModel model;
    private final Tokenizer tokenizer;
    private final LayerVectors vectors;
    private final List<String> stopStrings;
    private final Grader grader;
    private final int maxNewTokens;
    private final SteerPositions positions;

    ArmRunner(LoadedModel model, Tokenizer tokenizer, LayerVectors vectors, List<String> stopStrings, Grader grader,
            int maxNewTokens) {
        this(model, tokenizer, vectors, stopStrings, grader, maxNewTokens, SteerPositions.FROM_LAST_PROMPT_TOKEN);
    }

    /** @param positions CAA's positions (the study's {@code steer_positions}) */
    ArmRunner(LoadedModel model, Tokenizer tokenizer, LayerVectors vectors, List<String> stopStrings, Grader grader,
            int maxNewTokens, SteerPositions positions) {
        this.positions = java.util.Objects.requireNonNull(positions, "positions");
        this.model = model;
        this.tokenizer = tokenizer;
        this.vectors = vectors;
        this.stopStrings = List.copyOf(stopStrings);
        this.grader = grader;
        this.maxNewTokens = maxNewTokens;
    }

    /** The same runner with CAA at other positions. */
    ArmRunner withPositions(SteerPositions p) {
        return new ArmRunner(model, tokenizer, vectors, stopStrings, grader, maxNewTokens, p);
    }

    /** CAA's positions. */
    SteerPositions positions() {
        return positions;
    }

    /** Chunk {@code index} of {@code chunks}, generated under {@code config} and graded. */
    List<ItemOutcome> run(PromptChunks chunks, int index, TrialConfig config) {
        PromptChunks.Chunk chunk = chunks.chunk(index);
        SteeringMethod method = config.unsteered() ? null : ParamMapping.toMethod(config, vectors.get(config.layer()), positions);
        SamplingParams sampling = config.temperature() == 0 ? SamplingParams.greedy()
                : new SamplingParams((float) config.temperature(), 1f, 0, 0L, chunk.rowSeeds());
        SteeredGeneration.Options options = new SteeredGeneration.Options(maxNewTokens, sampling, model.eosTokenIds(),
                stopStrings, stopStrings.isEmpty() ? null : ids -> tokenizer.decode(ids, true), false);
        PromptState prefix = chunks.prefix(index);
        SteeredResult r = prefix != null ? SteeredGeneration.generate(model, prefix, method, options)
                : SteeredGeneration.generate(model, chunk.batch(), method, options);
        List<ItemOutcome> out = new ArrayList<>();
        for (SteeredResult.Row row : r.rows()) {
            Problem p = chunk.problems().get(row.row());
            String text = cut(tokenizer.decode(row.tokens(), true));
            Grade g = grader.grade(p, text);
            out.add(new ItemOutcome(p.id(), g.strict(), g.flexible(), g.flexibleExtracted(), row.tokens().length, text));
        }
        return out;
    }

    /** The completion up to the first stop sequence (the stop sequence is not part of the answer). */
    private String cut(String text) {
        int end = text.length();
        for (String s : stopStrings) {
            int at = text.indexOf(s);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return text.substring(0, end);
    }
}
