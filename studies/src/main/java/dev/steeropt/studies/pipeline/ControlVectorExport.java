package dev.steeropt.studies.pipeline;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.steering.AlphaUnits;
import dev.steeropt.core.steering.ControlVectorGguf;
import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.objective.TrialConfig;
import dev.steeropt.studies.spec.PositionsJson;
import dev.steeropt.studies.spec.SteerMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The best configuration as a llama.cpp control vector: {@value #FILE} in the output directory, and its entry
 * {@code control_vector} in {@code best_configuration.json}.
 *
 * <p>The file holds one tensor {@code direction.<L>} for the best trial's layer L: one unit of α, i.e. the steering
 * vector scaled to the mean residual norm at that layer ({@link AlphaUnits#MEAN_RESIDUAL_NORM}). llama.cpp multiplies
 * it by the {@code --control-vector-scaled} factor and adds it to the output of its zero-based block L, which is our
 * {@code blocks.L.hook_resid_post} (see {@link ControlVectorGguf}), so the factor to pass is the trial's α:
 * {@code --control-vector-scaled best_control_vector.gguf α} adds the same vector the search added. llama.cpp adds
 * it at every position, the prompt included, as {@code --steer-positions all} does.
 *
 * <p>No file is written (and a stale one from an earlier run in the same directory is removed) when the best trial
 * steers with DAC (its strength changes per token, which a control vector cannot express), at layer 0 (llama.cpp
 * keeps no control vector for block 0), or when its vector has no α unit (no recorded mean residual norm, or zero);
 * the note says which.
 *
 * @param file         the file name in the output directory, or null when none was written
 * @param layer        the layer steered (zero-based block index, llama.cpp's {@code direction.<layer>})
 * @param scale        the {@code --control-vector-scaled} factor that reproduces the best trial (its α), or null
 * @param llamaCppArgs the llama.cpp options that load it, or null
 * @param note         how the file relates to the best trial, or why there is none
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ControlVectorExport(String file, int layer, Double scale, String llamaCppArgs, String note) {
    /** The file name. */
    public static final String FILE = "best_control_vector.gguf";

    /**
     * Writes (or, when it has no control-vector form, removes) {@value #FILE} in {@code dir} for the best trial.
     *
     * @param best      the best trial's settings
     * @param positions where the study's CAA trials added their vector
     * @param vector    the steering vector of the best trial's layer
     * @param modelHint the model's {@code model_type}, written as {@code controlvector.model_hint}
     */
    static ControlVectorExport write(Path dir, TrialConfig best, SteerPositions positions, SteeringVector vector,
            String modelHint) {
        Path file = dir.resolve(FILE);
        String why = null;
        if (best.method() != SteerMethod.CAA) {
            why = "the best trial steers with " + best.method().wireName() + ", whose strength alpha_t changes per token;"
                    + " a llama.cpp control vector adds one fixed vector, so it has no control-vector form";
        } else if (best.layer() == 0) {
            why = "the best trial steers layer 0, and llama.cpp keeps no control vector for block 0 (it rejects"
                    + " direction.0)";
        }
        float[] direction = null;
        if (why == null) {
            try {
                direction = AlphaUnits.MEAN_RESIDUAL_NORM.direction(vector);
            } catch (IllegalArgumentException e) {
                why = "one unit of alpha has no direction at this layer: " + e.getMessage();
            }
        }
        if (why != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw UserFacingException.runtime("Cannot remove the stale " + file, e.toString(), null, e);
            }
            return new ControlVectorExport(null, best.layer(), null, null, why);
        }
        try {
            ControlVectorGguf.write(file, List.of(SteeringVector.of(best.layer(), direction, vector.metadata())),
                    modelHint);
        } catch (UncheckedIOException e) {
            throw UserFacingException.runtime("Cannot write " + file, e.getCause().toString(), null, e);
        }
        String note = "direction." + best.layer() + " is one unit of alpha (the mean residual norm at layer "
                + best.layer() + " along the steering vector); llama.cpp adds scale x direction to the output of block "
                + best.layer() + " (our blocks." + best.layer() + ".hook_resid_post) at every position, the prompt"
                + " included";
        note += positions == SteerPositions.ALL ? ", as this study did (steer_positions all)"
                : "; this study steered " + PositionsJson.name(positions) + ", so llama.cpp also steers the tokens"
                        + " this study left alone (search with --steer-positions all to match it exactly)";
        if (best.unsteered()) {
            note += "; the best trial is unsteered (alpha 0): scale 0 reproduces it, other scales are untested";
        }
        return new ControlVectorExport(FILE, best.layer(), best.alpha(),
                "--control-vector-scaled " + FILE + " " + best.alpha(), note);
    }
}
