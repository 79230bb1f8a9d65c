package dev.steeropt.studies.cli;

import dev.steeropt.core.model.ModelSource;
import dev.steeropt.studies.demo.DemoModel;
import dev.steeropt.studies.errors.UserFacingException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@code --model} names: one of the demo models embedded in the jar, a local Hugging Face model folder, or a hub
 * id. Immutable.
 *
 * <p>{@link #parse} decides which, in this order:
 * <ol>
 *   <li>a bare argument starting {@value DemoModel#PREFIX} (no path separator) is a demo model, whatever the working
 *       directory holds: {@code demo-hasty} always means the embedded one, and a local folder of that name is taken
 *       only when written as a path ({@code ./demo-hasty}); an unknown {@code demo-} name is an error listing the
 *       known ones;</li>
 *   <li>an argument of the hub-id shape {@code ORG/NAME} is a hub id unless a local folder of that relative path
 *       exists (which then wins, as it always has);</li>
 *   <li>anything else is a local folder, which must exist when the reference is {@linkplain #resolve() resolved}.</li>
 * </ol>
 */
public sealed interface ModelReference {
    /** {@code --model}'s parameter label. */
    String LABEL = "demo-*|DIR|ORG/NAME";
    /**
     * {@code --model}'s help text, the same for every command that takes a model; it names every {@link DemoModel}
     * (annotations need a constant, so the names are written out; a test checks them against the enum).
     */
    String HELP = "Model: demo-careful or demo-hasty (embedded in the jar), a Hugging Face model folder (config.json,"
            + " *.safetensors; a folder named like a demo model is written as a path, e.g. ./demo-hasty), or a hub id"
            + " ORG/NAME, downloaded once when online";

    /** An embedded demo model, extracted on first use. */
    record Demo(DemoModel model) implements ModelReference {
        public Demo {
            Objects.requireNonNull(model, "model");
        }

        @Override
        public Path resolve() {
            return model.directory();
        }

        @Override
        public String studyNamePart(Path resolved) {
            return model.wireName();
        }

        @Override
        public String toString() {
            return model.wireName();
        }
    }

    /** A local model folder, as the user wrote it (relative to the working directory unless absolute). */
    record Local(Path dir) implements ModelReference {
        public Local {
            Objects.requireNonNull(dir, "dir");
        }

        /**
         * The folder itself.
         *
         * @throws UserFacingException (usage) if it does not exist or is a file
         */
        @Override
        public Path resolve() {
            if (!Files.exists(dir)) {
                throw UserFacingException.usage("Model folder '" + dir + "' does not exist", null, "Pass an"
                        + " existing Hugging Face model folder (config.json, *.safetensors), a hub id ORG/NAME, or a"
                        + " demo model: " + String.join(", ", DemoModel.names()) + ".");
            }
            if (!Files.isDirectory(dir)) {
                throw UserFacingException.usage("--model '" + dir + "' is a file, not a model folder", null,
                        "Pass the folder that holds config.json and the *.safetensors weights.");
            }
            return dir;
        }

        @Override
        public String toString() {
            return dir.toString();
        }
    }

    /** A Hugging Face hub id {@code ORG/NAME}, downloaded once into the hub cache when online. */
    record Hub(String id) implements ModelReference {
        public Hub {
            if (!ModelSource.isHubId(id)) {
                throw new IllegalArgumentException("a hub id has the shape ORG/NAME, got '" + id + "'");
            }
        }

        /**
         * The cached download.
         *
         * @throws dev.steeropt.core.model.ModelLoadException offline when not cached, or when the download fails
         */
        @Override
        public Path resolve() {
            return ModelSource.resolve(id);
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /**
     * The local folder of the model, extracting or downloading it first if needed.
     *
     * @throws UserFacingException if a local folder is missing or an embedded model cannot be extracted
     */
    Path resolve();

    /**
     * The model's part of a default study name: a demo model's wire name, else the resolved folder's name (as before
     * demo names existed).
     */
    default String studyNamePart(Path resolved) {
        return String.valueOf(resolved.toAbsolutePath().normalize().getFileName());
    }

    /**
     * Parses a {@code --model} argument; relative paths are relative to the working directory.
     *
     * @throws UserFacingException (usage) for an empty argument or an unknown {@code demo-} name
     */
    static ModelReference parse(String value) {
        return parse(value, Path.of(""));
    }

    /**
     * As {@link #parse(String)}, with relative paths taken relative to {@code workingDir} (tests use a temporary
     * directory; {@code Path.of("")} keeps them as written).
     */
    static ModelReference parse(String value, Path workingDir) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            throw UserFacingException.usage("--model is empty", null, "Pass a demo model ("
                    + String.join(", ", DemoModel.names()) + "), a model folder or a hub id ORG/NAME.");
        }
        boolean bare = v.indexOf('/') < 0 && v.indexOf('\\') < 0;
        if (bare && v.regionMatches(true, 0, DemoModel.PREFIX, 0, DemoModel.PREFIX.length())) {
            return new Demo(DemoModel.byName(v).orElseThrow(() -> UserFacingException.usage(
                    "Unknown demo model '" + v + "'", "the jar holds " + String.join(", ", DemoModel.names()),
                    "Pass one of them, or write a local folder of that name as a path (./" + v + ").")));
        }
        Path local;
        try {
            local = workingDir.resolve(v);
        } catch (InvalidPathException e) {
            throw UserFacingException.usage("--model '" + v + "' is not a valid path", e.getMessage(),
                    "Pass a model folder, a hub id ORG/NAME or a demo model.");
        }
        if (ModelSource.isHubId(v) && !Files.isDirectory(local)) {
            return new Hub(v);
        }
        return new Local(local);
    }
}
