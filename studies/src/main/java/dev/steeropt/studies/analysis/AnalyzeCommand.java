package dev.steeropt.studies.analysis;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code steeropt analyze}: the research commands around the search (directions, sweeps, ablation, patching, probes,
 * ...). Each is a subcommand listed here; given no subcommand, it prints its usage.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Research analyses of one model or a pair of models of the same shape; each writes JSON and PNG"
                + " into --out and prints a summary.",
            "Shared options: --model A, --layers all|a-b|a,b,c, --dataset synthetic|gsm8k|math500, --n, --n-train,"
                    + " --split train|validation|test, --prompt, --max-new-tokens, --out, --storage."},
        subcommands = {CommandLine.HelpCommand.class,
            dev.steeropt.studies.analysis.directions.DirectionsCommand.class,
            dev.steeropt.studies.analysis.sweep.SweepCommand.class,
            dev.steeropt.studies.analysis.ablate.AblateCommand.class,
            dev.steeropt.studies.analysis.patch.PatchCommand.class,
            dev.steeropt.studies.analysis.probes.ProbesCommand.class,
            dev.steeropt.studies.analysis.lens.LogitLensCommand.class,
            dev.steeropt.studies.analysis.cka.CkaCommand.class,
            dev.steeropt.studies.analysis.variability.VariabilityCommand.class,
            dev.steeropt.studies.analysis.report.ReportCommand.class})
public final class AnalyzeCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
