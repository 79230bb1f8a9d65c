package dev.steeropt.studies.cli;

import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.studies.analysis.patch.PatchCommand;
import dev.steeropt.studies.analysis.patch.PatchPositions;
import dev.steeropt.studies.analysis.patch.PromptSet;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.pipeline.TrialFault;
import dev.steeropt.studies.spec.CrossoverKind;
import dev.steeropt.studies.spec.Metric;
import dev.steeropt.studies.spec.ObjectiveKind;
import dev.steeropt.studies.spec.SelectionRule;
import dev.steeropt.studies.spec.PairBuilder;
import dev.steeropt.studies.spec.PositionsJson;
import dev.steeropt.studies.spec.PromptKind;
import dev.steeropt.studies.spec.PrunerKind;
import dev.steeropt.studies.spec.SamplerKind;
import dev.steeropt.studies.spec.SteerMethod;
import dev.steeropt.studies.spec.WireName;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Picocli converters for the closed sets options name: an option typed {@code SamplerKind} (or another of them)
 * takes the same case-insensitive edge names as the spec JSON, and an unknown name is a usage error listing the known
 * ones. {@code --model} options typed {@link ModelReference} are parsed here too (an unknown {@code demo-} name lists
 * the embedded models).
 */
final class EdgeNames {
    private EdgeNames() {}

    /** Registers a converter for each closed set on {@code cli} (and its subcommands). */
    static void register(CommandLine cli) {
        cli.registerConverter(SteerMethod.class, converter(SteerMethod::parse));
        cli.registerConverter(SamplerKind.class, converter(SamplerKind::parse));
        cli.registerConverter(PrunerKind.class, converter(PrunerKind::parse));
        cli.registerConverter(PromptKind.class, converter(PromptKind::parse));
        cli.registerConverter(PairBuilder.class, converter(PairBuilder::parse));
        cli.registerConverter(SteerPositions.class, converter(PositionsJson::parse));
        cli.registerConverter(TrialFault.class, converter(TrialFault::parse));
        cli.registerConverter(Metric.class, converter(Metric::parse));
        cli.registerConverter(DatasetName.class, converter(DatasetName::parse));
        cli.registerConverter(AskSampler.class, converter(AskSampler::parse));
        cli.registerConverter(TextFormat.class, converter(TextFormat::parse));
        cli.registerConverter(OptimizeCommand.Mode.class, converter(OptimizeCommand.Mode::parse));
        cli.registerConverter(ModelReference.class, converter(ModelReference::parse));
        cli.registerConverter(ObjectiveKind.class, converter(ObjectiveKind::parse));
        cli.registerConverter(SelectionRule.class, converter(SelectionRule::parse));
        cli.registerConverter(CrossoverKind.class, converter(CrossoverKind::parse));
        cli.registerConverter(dev.steeropt.studies.plots.PlotKind.class, converter(dev.steeropt.studies.plots.PlotKind::parse));
        cli.registerConverter(PatchCommand.Component.class, wire(PatchCommand.Component.class, "component"));
        cli.registerConverter(PatchPositions.class, wire(PatchPositions.class, "positions"));
        cli.registerConverter(PromptSet.class, wire(PromptSet.class, "prompt set"));
    }

    private static <E extends Enum<E> & WireName> ITypeConverter<E> wire(Class<E> type, String what) {
        return converter(value -> WireName.parse(type, what, value));
    }

    private static <T> ITypeConverter<T> converter(Function<String, T> parse) {
        return value -> {
            try {
                return parse.apply(value);
            } catch (RuntimeException e) {
                throw new TypeConversionException(UserFacingException.of(e).orElseThrow(() -> e).getMessage());
            }
        };
    }
}
