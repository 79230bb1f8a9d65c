package dev.steeropt.studies.cli;

import dev.steeropt.cache.key.Fingerprints;
import dev.steeropt.studies.analysis.directions.DirectionSet;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.spec.VectorSourceKind;
import dev.steeropt.studies.spec.VectorSourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --vector-source contrast|cross-model|DIR} and {@code --versus B}: where {@code optimize}'s steering vectors
 * come from, resolved into the study's {@link VectorSourceSpec} (model B's fingerprint, or the hash of the
 * directory's {@value DirectionSet#FILE}, so another B or another file is another study).
 */
public final class VectorSourceOptions {
    @Option(names = "--vector-source", paramLabel = "contrast|cross-model|DIR", description = "Steering vectors:"
            + " contrast (CAA vectors of --pairs on the train split, the default), cross-model (per layer, this"
            + " model's mean residual minus --versus B's over the train prompts, as 'analyze directions --versus'"
            + " computes it) or DIR, an 'analyze directions --out' directory computed for this model.")
    String vectorSource;

    @Option(names = "--versus", paramLabel = ModelReference.LABEL, description = "Model B of --vector-source"
            + " cross-model, of the same depth, width and tokenizer.")
    ModelReference versus;

    /**
     * The resolved source.
     *
     * @throws UserFacingException (usage) for {@code cross-model} without {@code --versus}, {@code --versus} without
     *                             {@code cross-model}, or a directory without {@value DirectionSet#FILE}
     */
    public VectorSourceSpec resolve() {
        VectorSourceKind kind = kind();
        if (kind == VectorSourceKind.CROSS_MODEL && versus == null) {
            throw UserFacingException.usage("--vector-source cross-model needs --versus B", "the cross-model direction"
                    + " is this model's residual minus model B's", "Add --versus MODEL (e.g. --versus demo-careful).");
        }
        if (kind != VectorSourceKind.CROSS_MODEL && versus != null) {
            throw UserFacingException.usage("--versus " + versus + " given with --vector-source " + (vectorSource
                    == null ? "contrast (the default)" : vectorSource), "only cross-model vectors read a second model",
                    "Add --vector-source cross-model, or drop --versus.");
        }
        return switch (kind) {
            case CONTRAST -> VectorSourceSpec.CONTRAST;
            case CROSS_MODEL -> {
                Path b = versus.resolve().toAbsolutePath().normalize();
                yield VectorSourceSpec.crossModel(b.toString(), Fingerprints.model(b));
            }
            case DIRECTORY -> {
                Path dir = Path.of(vectorSource).toAbsolutePath().normalize();
                Path file = dir.resolve(DirectionSet.FILE);
                if (!Files.isRegularFile(file)) {
                    throw UserFacingException.usage("--vector-source '" + vectorSource + "' is neither contrast,"
                            + " cross-model nor a directory holding " + DirectionSet.FILE, Files.isDirectory(dir)
                            ? dir + " has no " + DirectionSet.FILE : dir + " does not exist", "Pass contrast,"
                            + " cross-model, or the --out directory of 'steeropt analyze directions'.");
                }
                yield VectorSourceSpec.directory(dir.toString(), Fingerprints.file(file));
            }
        };
    }

    /**
     * What the default study name gets after {@code <model>-<dataset>-<train>-<validation>}, so that studies of
     * other sources do not collide: nothing for {@code contrast}, {@code -versus-<B>} for {@code cross-model} (B's
     * demo name or folder name), {@code -<folder name>} for a directory.
     */
    public String studyNameSuffix() {
        return switch (kind()) {
            case CONTRAST -> "";
            case CROSS_MODEL -> versus == null ? "" : "-versus-" + versus.studyNamePart(versus.resolve());
            case DIRECTORY -> {
                Path name = Path.of(vectorSource).toAbsolutePath().normalize().getFileName();
                yield name == null ? "-directions" : "-" + name;
            }
        };
    }

    private VectorSourceKind kind() {
        if (vectorSource == null) {
            return VectorSourceKind.CONTRAST;
        }
        String v = vectorSource.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (VectorSourceKind k : new VectorSourceKind[] {VectorSourceKind.CONTRAST, VectorSourceKind.CROSS_MODEL}) {
            if (k.wireName().equals(v)) {
                return k;
            }
        }
        return VectorSourceKind.DIRECTORY;
    }
}
