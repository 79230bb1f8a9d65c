package dev.steeropt.studies.cli;

import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.model.io.SafetensorsWriter;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.runtime.ForwardResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.studies.errors.UserFacingException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt activations}: one forward pass over the prompts (default model: {@code demo-hasty}), writing
 * {@code logits} {@code [B,T,V]} and every layer's {@code blocks.{i}.hook_resid_post} {@code [B,T,H]} (pad positions
 * 0) to a safetensors file, with the batch as {@code input_ids} / {@code attention_mask} (I64).
 */
@Command(name = "activations", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run one forward pass and save logits and every layer's residual stream (blocks.{i}.hook_resid_post)"
                + " to a safetensors file; pad positions are 0."})
public final class ActivationsCommand implements Callable<Integer> {
    @Mixin
    VerbosityMixin verbosity;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelInputs in;

    @Option(names = "--out", required = true, paramLabel = "OUT.safetensors", description = "Output file.")
    Path out;

    @Override
    public Integer call() {
        boolean haveTokenizer = Files.isRegularFile(in.resolve().resolve("tokenizer.json"));
        if (in.needsTokenizer() && !haveTokenizer) {
            throw UserFacingException.usage("--prompt needs the model's tokenizer.json, which is missing from '" + in.model + "'",
                    null, "Pass --input-ids FILE.json instead.");
        }
        long t0 = System.nanoTime();
        try (LoadedModel model = in.load(); Tokenizer tok = in.needsTokenizer() ? Tokenizer.load(in.model) : null) {
            PromptBatch batch = in.batch(tok);
            int layers = model.config().numLayers();
            List<HookPoint> points = new ArrayList<>();
            for (int i = 0; i < layers; i++) {
                points.add(HookPoint.residPost(i));
            }
            ForwardResult r;
            try {
                r = model.forward(batch, points, Transformer.Logits.ALL, HookSet.empty());
            } catch (IllegalArgumentException e) {
                throw UserFacingException.usage(e.getMessage(), null, null);
            }
            long b = r.batch();
            long t = r.seqLen();
            SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt").metadata("producer", "steeropt activations")
                    .metadata("model", model.dir().toString());
            w.addFloats("logits", new long[] {b, t, r.vocab()}, SafetensorsWriter.DType.F32, r.logits());
            for (HookPoint p : points) {
                w.addFloats(p.toString(), new long[] {b, t, r.dModel()}, SafetensorsWriter.DType.F32, r.activation(p));
            }
            long[] ids = new long[(int) (b * t)];
            long[] mask = new long[ids.length];
            for (int row = 0; row < b; row++) {
                for (int c = 0; c < t; c++) {
                    ids[(int) (row * t + c)] = batch.id(row, c);
                    mask[(int) (row * t + c)] = batch.mask(row, c);
                }
            }
            w.addLongs("input_ids", new long[] {b, t}, SafetensorsWriter.DType.I64, ids);
            w.addLongs("attention_mask", new long[] {b, t}, SafetensorsWriter.DType.I64, mask);
            try {
                w.write(out);
            } catch (UncheckedIOException e) {
                throw UserFacingException.runtime("Cannot write '" + out + "'", e.getCause().getMessage(),
                        "Check that the directory exists and is writable.", e);
            }
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "wrote %s: logits [%d, %d, %d] and %d x blocks.{i}.hook_resid_post [%d, %d, %d]%n",
                    out, b, t, r.vocab(), layers, b, t, r.dModel());
            o.flush();
            spec.commandLine().getErr().printf(Locale.ROOT, "forward of %d x %d tokens in %.2f s%n", b, t, (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }
}
