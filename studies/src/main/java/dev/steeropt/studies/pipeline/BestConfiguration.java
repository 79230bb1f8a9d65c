package dev.steeropt.studies.pipeline;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.steering.AlphaUnits;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.studies.objective.ParamMapping;
import dev.steeropt.studies.objective.TrialConfig;
import dev.steeropt.studies.spec.Metric;
import dev.steeropt.studies.spec.ObjectiveKind;
import dev.steeropt.studies.spec.PairBuilder;
import dev.steeropt.studies.spec.PositionsJson;
import dev.steeropt.studies.spec.SteerMethod;
import dev.steeropt.studies.spec.StudySpec;
import dev.steeropt.studies.spec.VectorSourceSpec;
import java.util.Locale;
import java.util.Map;

/**
 * {@code best_configuration.json}: the best trial of a study and how to reproduce its steering. Keys are the
 * snake_case forms of the component names, in component order, with {@link #validation} written as one entry named
 * after the metric ({@code validation_flexible_accuracy} or {@code validation_strict_accuracy}).
 *
 * @param study          the study name
 * @param trial          the best trial's number
 * @param params         its params as stored
 * @param validation     its validation accuracy under the study's metric
 * @param userAttrs      its user attributes (accuracies, tokens, timings)
 * @param steerPositions where its vector is added (DAC: always {@code from_last_prompt_token})
 * @param alphaUnits     what one unit of α means ({@code mean_residual_norm})
 * @param pairBuilder    the contrast pairs the steering vectors came from
 * @param hookPoint      where the vector is added, e.g. {@code blocks.12.hook_resid_post}
 * @param controlVector  the configuration as a llama.cpp control vector ({@value ControlVectorExport#FILE}), or why
 *                       it has none
 * @param vectorSource   where the steering vectors came from ({@code --vector-source})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BestConfiguration(String study, int trial, Map<String, Object> params,
        @JsonUnwrapped ValidationAccuracy validation, Map<String, Object> userAttrs,
        @JsonSerialize(using = PositionsJson.Writer.class) SteerPositions steerPositions, String alphaUnits,
        PairBuilder pairBuilder, String hookPoint, ControlVectorExport controlVector, VectorSourceSpec vectorSource) {

    /** The best configuration of a study whose best trial is {@code best}. */
    static BestConfiguration of(StudySpec spec, String study, FrozenTrial best, ControlVectorExport controlVector) {
        TrialConfig c = ParamMapping.fromParams(best.params());
        return new BestConfiguration(study, best.number(), best.params(),
                new ValidationAccuracy(spec.metric(), spec.multiObjective() == null ? best.value()
                        : best.values().get(spec.multiObjective().index(ObjectiveKind.ACCURACY))), best.userAttrs(),
                c.method() == SteerMethod.CAA ? spec.steerPositions() : SteerPositions.FROM_LAST_PROMPT_TOKEN,
                AlphaUnits.MEAN_RESIDUAL_NORM.name().toLowerCase(Locale.ROOT), spec.pairBuilder(),
                HookPoint.residPost(c.layer()).toString(), controlVector, spec.vectorSource());
    }

    /**
     * The validation accuracy under the study's metric, written as one entry {@code validation_<metric>_accuracy}.
     *
     * @param metric the metric
     * @param value  the accuracy
     */
    public record ValidationAccuracy(@JsonIgnore Metric metric, @JsonIgnore double value) {
        /** The one entry. */
        @JsonAnyGetter
        public Map<String, Object> entry() {
            return Map.of("validation_" + metric.wireName() + "_accuracy", value);
        }
    }
}
