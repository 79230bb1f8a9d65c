package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.model.ModelLoadException;
import dev.steeropt.studies.demo.DemoModel;
import dev.steeropt.studies.errors.UserFacingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --model} arguments: demo names, paths (a folder named like a demo model only when written as a path), hub ids,
 * and the errors for an unknown demo name and a missing folder, parsed directly and through every command that takes
 * a model.
 */
class ModelReferenceTest {
    /** Every command with a {@code --model} option, with the other arguments it needs to get past parsing. */
    static final List<List<String>> COMMANDS = List.of(
            List.of("generate", "--prompt", "Question: 1 + 1?\nAnswer:", "--max-new-tokens", "2"),
            List.of("activations", "--prompt", "Question: 1 + 1?\nAnswer:", "--out", "unused.safetensors"),
            List.of("validate-zero", "--max-new-tokens", "2"),
            List.of("optimize", "--n-trials", "1"),
            List.of("bench-runtime", "--reps", "1"));

    @TempDir
    Path cwd;

    @Test
    void demoNamesAreTheEmbeddedModels() {
        for (DemoModel m : DemoModel.values()) {
            assertEquals(new ModelReference.Demo(m), ModelReference.parse(m.wireName()));
        }
        assertEquals(new ModelReference.Demo(DemoModel.DEMO_HASTY), ModelReference.parse(" Demo-Hasty "));
    }

    @Test
    void aBareDemoNameIsTheEmbeddedModelEvenBesideAFolderOfThatName() throws IOException {
        Path local = Files.createDirectories(cwd.resolve("demo-hasty"));
        assertEquals(new ModelReference.Demo(DemoModel.DEMO_HASTY), ModelReference.parse("demo-hasty", cwd));
        ModelReference asPath = ModelReference.parse("./demo-hasty", cwd);
        assertEquals(new ModelReference.Local(cwd.resolve("./demo-hasty")), asPath);
        assertEquals(local.toAbsolutePath().normalize(), asPath.resolve().toAbsolutePath().normalize());
        assertEquals("demo-hasty", asPath.studyNamePart(asPath.resolve()));
        assertEquals(new ModelReference.Local(local), ModelReference.parse(local.toString(), cwd));
        assertInstanceOf(ModelReference.Local.class, ModelReference.parse("demo-hasty/", cwd));
    }

    @Test
    void orgSlashNameIsAHubIdUnlessSuchAFolderExists() throws IOException {
        assertEquals(new ModelReference.Hub("HuggingFaceTB/SmolLM2-135M"),
                ModelReference.parse("HuggingFaceTB/SmolLM2-135M", cwd));
        Path local = Files.createDirectories(cwd.resolve("org/name"));
        assertEquals(new ModelReference.Local(local), ModelReference.parse("org/name", cwd));
        assertInstanceOf(ModelReference.Local.class, ModelReference.parse("a/b/c", cwd));
        assertInstanceOf(ModelReference.Local.class, ModelReference.parse("./org/other", cwd));
        assertThrows(IllegalArgumentException.class, () -> new ModelReference.Hub("not-a-hub-id"));
        ModelLoadException offline = assertThrows(ModelLoadException.class,
                () -> new ModelReference.Hub("steeropt-test/not-cached-xyz").resolve(), "surefire runs offline");
        assertTrue(offline.getMessage().contains("hub downloads are off"), offline.getMessage());
    }

    @Test
    void anUnknownDemoNameListsTheKnownOnes() {
        UserFacingException e = assertThrows(UserFacingException.class, () -> ModelReference.parse("demo-xyz", cwd));
        assertEquals(UserFacingException.USAGE, e.exitCode());
        for (String name : DemoModel.names()) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
        assertTrue(e.getMessage().startsWith("Unknown demo model 'demo-xyz'") && e.getMessage().contains("./demo-xyz"),
                e.getMessage());
    }

    @Test
    void aMissingFolderSaysSoWhenResolved() throws IOException {
        ModelReference missing = ModelReference.parse("no-such-model", cwd);
        assertEquals(new ModelReference.Local(cwd.resolve("no-such-model")), missing);
        UserFacingException e = assertThrows(UserFacingException.class, missing::resolve);
        assertEquals(UserFacingException.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("Model folder '" + cwd.resolve("no-such-model") + "' does not exist"),
                e.getMessage());
        Path file = Files.writeString(cwd.resolve("config.json"), "{}");
        UserFacingException notDir = assertThrows(UserFacingException.class,
                () -> ModelReference.parse(file.toString(), cwd).resolve());
        assertTrue(notDir.getMessage().contains("is a file, not a model folder"), notDir.getMessage());
        assertThrows(UserFacingException.class, () -> ModelReference.parse("  ", cwd));
    }

    @Test
    void studyNamesUseTheDemoNameNotTheExtractedFoldersHash() {
        Path extracted = Path.of("/cache/demo-models/demo-hasty-0123456789abcdef");
        assertEquals("demo-hasty", new ModelReference.Demo(DemoModel.DEMO_HASTY).studyNamePart(extracted));
        assertEquals("demo-careful", new ModelReference.Demo(DemoModel.DEMO_CAREFUL).studyNamePart(extracted));
        assertEquals("tiny-llama", new ModelReference.Local(Path.of("models/tiny-llama")).studyNamePart(
                Path.of("models/tiny-llama")));
        assertEquals("org--name", new ModelReference.Hub("org/name").studyNamePart(Path.of("/hub/org--name")));
    }

    // ---- through the CLI ----

    private static CliRun run(List<String> command, String... model) {
        List<String> args = new ArrayList<>(command.subList(0, 1));
        args.addAll(List.of(model));
        args.addAll(command.subList(1, command.size()));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static void assertOneErrorLine(CliRun r, String what, String... contains) {
        assertEquals(2, r.exitCode(), what + "\n" + r.out() + r.err());
        String err = r.err().strip();
        String last = err.lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("Error: ") && !err.contains("\tat "), what + "\n" + err);
        for (String c : contains) {
            assertTrue(last.contains(c), what + ": expected '" + c + "' in\n" + last);
        }
    }

    @Test
    void everyModelOptionsHelpListsBothDemoModels() {
        for (List<String> c : COMMANDS) {
            CliRun r = CliRun.of(c.get(0), "--help");
            assertEquals(0, r.exitCode(), r.err());
            String help = r.out().replaceAll("\\s+", " ");
            assertTrue(help.contains("--model=" + ModelReference.LABEL), c.get(0) + ": " + help);
            for (String name : DemoModel.names()) {
                assertTrue(help.contains(name), c.get(0) + " --help lacks " + name + ": " + help);
            }
            if (!c.get(0).equals("bench-runtime")) {
                assertTrue(help.contains("(default: " + DemoModel.DEFAULT_NAME + ")"), c.get(0) + ": " + help);
            }
        }
    }

    @Test
    void anUnknownDemoNameIsOneErrorLineWithExitTwoEverywhere() {
        for (List<String> c : COMMANDS) {
            assertOneErrorLine(run(c, "--model", "demo-xyz"), c.get(0), "Unknown demo model 'demo-xyz'", "demo-careful",
                    "demo-hasty");
        }
    }

    @Test
    void aMissingFolderIsReportedAsMissingEverywhere(@TempDir Path tmp) {
        String missing = tmp.resolve("nonexistent").toString();
        for (List<String> c : COMMANDS) {
            assertOneErrorLine(run(c, "--model", missing), c.get(0), "Model folder '" + missing + "' does not exist");
        }
        // written as a path, a demo name is a local folder (none of that name in the module directory)
        assertTrue(!Files.exists(Path.of("demo-hasty")), "a demo-hasty folder in " + Path.of("").toAbsolutePath());
        assertOneErrorLine(run(COMMANDS.get(0), "--model", "./demo-hasty"), "generate ./demo-hasty",
                "Model folder './demo-hasty' does not exist");
    }

    @Test
    void aHubIdOfflineSaysHubDownloadsAreOff() {
        assertOneErrorLine(run(COMMANDS.get(0), "--model", "steeropt-test/not-cached-xyz"), "generate hub id",
                "hub downloads are off");
    }

    @Test
    void bothDemoNamesRunAndNoModelMeansDemoHasty() {
        List<String> check = List.of("validate-zero", "--max-new-tokens", "4");
        for (DemoModel m : DemoModel.values()) {
            CliRun r = run(check, "--model", m.wireName());
            assertEquals(0, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().startsWith("model " + m.wireName() + " (embedded, "), r.out());
        }
        CliRun none = CliRun.of(check.toArray(String[]::new));
        assertEquals(0, none.exitCode(), none.out() + none.err());
        assertTrue(none.out().startsWith("model " + DemoModel.DEFAULT_NAME + " (embedded, "), none.out());
        CliRun generate = run(COMMANDS.get(0), "--model", "demo-careful");
        assertEquals(0, generate.exitCode(), generate.err());
        assertEquals(1, generate.out().lines().count(), generate.out());
    }

    @Test
    void optimizeNamesItsDefaultStudyAfterTheDemoModel(@TempDir Path tmp) {
        CliRun r = CliRun.of("optimize", "--dataset", "synthetic", "--data-dir", tmp.resolve("data").toString(),
                "--train-size", "4", "--val-size", "4", "--test-size", "4", "--chunks", "1", "--max-new-tokens", "4",
                "--n-trials", "1", "--search-space", "{\"method\":[\"CAA\"]}", "--pairs", "answer_off_by_one",
                "--output-dir", tmp.resolve("out").toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("Study " + DemoModel.DEFAULT_NAME + "-synthetic-4-4: "), r.out());
    }
}
