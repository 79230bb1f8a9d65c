package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of file or string a user hands the CLI, broken, gives one {@code Error:} line on stderr that says what,
 * why and how to fix it, exit code 2 and no stack trace; a database that does not answer is exit code 1; {@code -v}
 * adds the stack trace. In-process through {@link Main#execute}, and spawned where the real stderr (logs included)
 * matters.
 */
class BadInputCliTest {
    @TempDir
    static Path tmp;

    static Path fixture;

    @BeforeAll
    static void setUp() {
        fixture = Path.of(System.getProperty("steeropt.shared"), "fixtures", "models", "tiny-llama-fp32");
        assertTrue(Files.isRegularFile(fixture.resolve("config.json")), "fixture missing: " + fixture);
    }

    /** A copy of the fixture model with one file replaced. */
    static Path modelWith(String name, String file, byte[] content) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.list(fixture)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                dir.resolve(f.getFileName().toString()).toFile().setWritable(true);
            }
        }
        Files.write(dir.resolve(file), content);
        return dir;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Exit code 2 and exactly one stderr line: "Error: " + what + ... , no stack trace, no parser internals. */
    static String assertOneLineUsageError(CliRun run, String... mentions) {
        assertEquals(2, run.exitCode(), "exit code; stderr: " + run.err());
        return assertOneErrorLine(run.err(), mentions);
    }

    /** As {@link #assertOneLineUsageError}, after progress lines (e.g. "Loading model ..."): the error ends stderr. */
    static String assertLastLineUsageError(CliRun run, String... mentions) {
        assertEquals(2, run.exitCode(), "exit code; stderr: " + run.err());
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.stream().filter(l -> l.startsWith("Error:")).count(), run.err());
        assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), run.err());
        return assertOneErrorLine(lines.get(lines.size() - 1), mentions);
    }

    static String assertOneErrorLine(String stderr, String... mentions) {
        List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line on stderr, got: " + stderr);
        String line = lines.get(0);
        assertTrue(line.startsWith("Error: "), line);
        for (String bad : List.of("Exception", "\tat ", "StreamReadFeature", "[Source:", "unexpected")) {
            assertFalse(line.contains(bad), "'" + bad + "' in: " + line);
        }
        for (String m : mentions) {
            assertTrue(line.contains(m), "'" + m + "' missing from: " + line);
        }
        return line;
    }

    private static CliRun generate(Path model, String... more) {
        List<String> args = new ArrayList<>(List.of("generate", "--model", model.toString(), "--prompt", "Hello",
                "--max-new-tokens", "1"));
        args.addAll(Arrays.asList(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void malformedConfigJsonIsOneLineWithoutJacksonInternals() throws IOException {
        Path m = modelWith("config-syntax", "config.json", utf8("{\"model_type\": \"llama\", \"hidden_size\": 64,"));
        assertOneLineUsageError(generate(m), "config.json is not valid JSON", "line 1", "restore");
        Path t = modelWith("config-type", "config.json", utf8(Files.readString(fixture.resolve("config.json"))
                .replace("\"hidden_size\": 64", "\"hidden_size\": \"sixty-four\"")));
        assertOneLineUsageError(generate(t), "hidden_size");
    }

    @Test
    void truncatedOrOverlongSafetensorsIsOneLine() throws IOException {
        byte[] weights = Files.readAllBytes(fixture.resolve("model.safetensors"));
        Path cut = modelWith("st-cut", "model.safetensors", Arrays.copyOf(weights, weights.length / 2));
        assertOneLineUsageError(generate(cut), "model.safetensors", "download it again");
        byte[] huge = weights.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        assertOneLineUsageError(generate(modelWith("st-len", "model.safetensors", huge)), "the header claims 1099511627776 bytes");
    }

    @Test
    void garbageTokenizerFilesAreOneLineAndExitTwo() throws IOException {
        assertOneLineUsageError(generate(modelWith("tok-garbage", "tokenizer.json", utf8("garbage"))), "tokenizer.json");
        assertOneLineUsageError(generate(modelWith("tok-vocab", "tokenizer.json", utf8("{\"model\": {\"type\": \"BPE\"}}"))),
                "model.vocab", "save_pretrained");
        assertOneLineUsageError(generate(modelWith("tokcfg", "tokenizer_config.json",
                utf8("{\"bos_token\": \"<|no such token|>\"}"))), "bos_token", "tokenizer_config.json");
        assertOneLineUsageError(generate(modelWith("tokcfg-json", "tokenizer_config.json", utf8("{\"bos_token\": "))),
                "tokenizer_config.json", "malformed JSON");
        assertOneLineUsageError(generate(modelWith("chat", "tokenizer_config.json",
                utf8("{\"chat_template\": \"{{ raise_exception('no system role') }}\"}")), "--chat"), "no system role");
    }

    @Test
    void malformedGenerationConfigIsOneLine() throws IOException {
        assertOneLineUsageError(generate(modelWith("gen-json", "generation_config.json", utf8("{\"eos_token_id\": [1,"))),
                "generation_config.json");
        assertOneLineUsageError(generate(modelWith("gen-type", "generation_config.json", utf8("{\"eos_token_id\": \"x\"}"))),
                "eos_token_id");
    }

    @Test
    void badSteeringVectorAndInputIdsFilesAreOneLine() throws IOException {
        Path bad = tmp.resolve("bad-vector.safetensors");
        Files.write(bad, utf8("not a safetensors file at all"));
        assertOneLineUsageError(generate(fixture, "--steer-vector", bad.toString(), "--layer", "1", "--alpha", "2"),
                "--steer-vector");
        Path ids = tmp.resolve("ids.json");
        Files.writeString(ids, "{\"input_ids\": [[1, 2,");
        CliRun run = CliRun.of("generate", "--model", fixture.toString(), "--input-ids", ids.toString(), "--max-new-tokens", "1");
        assertOneLineUsageError(run, "--input-ids", "line 1");
        Files.writeString(ids, "{\"input_ids\": [[5, 99999]]}");
        assertOneLineUsageError(CliRun.of("generate", "--model", fixture.toString(), "--input-ids", ids.toString(),
                "--max-new-tokens", "1"), "token id 99999 (row 0, position 1) is outside the vocabulary");
        Files.writeString(ids, "{\"input_ids\": [[5, 6]], \"attention_mask\": {\"0\": [1, 1]}}");
        assertOneLineUsageError(CliRun.of("generate", "--model", fixture.toString(), "--input-ids", ids.toString(),
                "--max-new-tokens", "1"), "attention_mask");
    }

    @Test
    void badDatasetAndPredictionsFilesAreOneLine() throws IOException {
        Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("gsm8k"));
        Files.writeString(data.resolve("gsm8k/test.jsonl"), "{\"question\": \"1+1?\", \"answer\": \"#### 2\"}\n[1, 2]\n");
        Path preds = tmp.resolve("preds.jsonl");
        Files.writeString(preds, "{\"id\": \"gsm8k-test-0\", \"completion\": \"2\"}\n");
        assertOneLineUsageError(CliRun.of("score", "--dataset", "gsm8k", "--predictions", preds.toString(), "--data-dir",
                data.toString(), "--offline"), "line 2", "not a JSON object");
        Files.writeString(data.resolve("gsm8k/test.jsonl"), "{\"question\": \"1+1?\", \"answer\": \"#### 2\"}\n");
        Files.writeString(preds, "{\"id\": \"gsm8k-test-0\", \"completion\": 2}\n");
        assertOneLineUsageError(CliRun.of("score", "--dataset", "gsm8k", "--predictions", preds.toString(), "--data-dir",
                data.toString(), "--offline"), "completion", "must be a string");
    }

    @Test
    void badSearchSpaceJsonIsOneLine() {
        String db = "sqlite:///" + tmp.resolve("ask.db");
        assertEquals(0, CliRun.of("create-study", "--storage", db, "--study-name", "s").exitCode());
        assertOneLineUsageError(CliRun.of("ask", "--storage", db, "--study-name", "s", "--search-space", "{\"x\": "),
                "--search-space is not valid JSON");
        assertLastLineUsageError(CliRun.of("optimize", "--model", fixture.toString(), "--search-space", "{\"alpha\": [3, 1]}",
                "--storage", db), "--search-space");
        assertLastLineUsageError(CliRun.of("optimize", "--model", fixture.toString(), "--search-space", "{\"layer\": [0,",
                "--storage", db), "--search-space is not valid JSON", "line 1");
    }

    @Test
    void malformedStorageUrlsAndPathsThatCannotBeDatabasesExitTwo() throws IOException {
        assertOneLineUsageError(CliRun.of("studies", "--storage", "mysql://u@h/db"), "Storage URL", "not supported");
        assertOneLineUsageError(CliRun.of("studies", "--storage", "sqlite:///a\u0000b.db"), "Storage URL");
        assertOneLineUsageError(CliRun.of("studies", "--storage", "postgresql://u:%zz@h/db"), "%-escape");
        assertOneLineUsageError(CliRun.of("studies", "--storage", "sqlite:///" + tmp), "directory");
        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "these are my notes, not a database\n");
        assertOneLineUsageError(CliRun.of("studies", "--storage", "sqlite:///" + text), "not a SQLite database");
        assertOneLineUsageError(CliRun.of("create-study", "--storage", "sqlite:///" + tmp.resolve("no/such/dir/x.db"),
                "--study-name", "s"), "does not exist");
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsAFailureOfTheWorldExitOne() {
        CliRun run = CliRun.of("studies", "--storage", "postgresql://u:p@127.0.0.1:1/db");
        assertEquals(1, run.exitCode(), run.err());
        assertOneErrorLine(run.err(), "Cannot connect");
        assertFalse(run.err().contains(":p@"), "the password is masked: " + run.err());
    }

    /** Commands that write files leave none (and keep an older one) when the run fails. */
    @Test
    void aFailingRunLeavesNoOutputFile() throws IOException {
        Path bad = modelWith("act-bad", "config.json", utf8("{"));
        Path acts = tmp.resolve("acts.safetensors");
        assertOneLineUsageError(CliRun.of("activations", "--model", bad.toString(), "--prompt", "Hello", "--out", acts.toString()),
                "config.json");
        assertFalse(Files.exists(acts), "no partial activations file");
        String db = "sqlite:///" + tmp.resolve("export.db");
        assertEquals(0, CliRun.of("create-study", "--storage", db, "--study-name", "present").exitCode());
        Path csv = tmp.resolve("trials.csv");
        Files.writeString(csv, "an older export\n");
        CliRun run = CliRun.of("export", "--storage", db, "--study-name", "absent", "--format", "csv", "--output", csv.toString());
        assertEquals(1, run.exitCode(), run.err());
        assertOneErrorLine(run.err(), "absent", "present");
        assertEquals("an older export\n", Files.readString(csv), "the older file is untouched");
    }

    @Test
    void parameterErrorsAreOneLineToo() {
        CliRun run = CliRun.of("generate", "--model", fixture.toString(), "--no-such-option");
        assertOneLineUsageError(run, "--no-such-option", "--help");
    }

    /** The issue's example, spawned: the real stderr ends in one Error: line, exit 2; -v adds the stack trace. */
    @Test
    void spawnedGarbageTokenizerGivesOneErrorLineAndVerboseGivesTheTrace() throws Exception {
        Path m = modelWith("spawn-tok", "tokenizer.json", utf8("garbage"));
        Spawned plain = spawn("generate", "--model", m.toString(), "--prompt", "Hello", "--max-new-tokens", "1");
        assertEquals(2, plain.exitCode(), plain.err());
        List<String> errorLines = plain.err().lines().filter(l -> l.startsWith("Error:")).toList();
        assertEquals(1, errorLines.size(), plain.err());
        assertFalse(plain.err().contains("\tat ") || plain.err().contains("Exception"), plain.err());
        assertEquals(errorLines.get(0), plain.err().lines().reduce((a, b) -> b).orElseThrow(), "the error is the last line");

        Path chat = modelWith("spawn-chat", "tokenizer_config.json", utf8("{\"chat_template\": \"{% for %}\"}"));
        Spawned template = spawn("generate", "--model", chat.toString(), "--prompt", "Hello", "--chat", "--max-new-tokens", "1");
        assertEquals(2, template.exitCode(), template.err());
        assertFalse(template.err().contains("Exception") || template.err().contains("\tat "),
                "a broken chat template logs no stack trace: " + template.err());
        assertTrue(template.err().lines().reduce((a, b) -> b).orElseThrow().startsWith("Error: "), template.err());

        Spawned verbose = spawn("generate", "-v", "--model", m.toString(), "--prompt", "Hello", "--max-new-tokens", "1");
        assertEquals(2, verbose.exitCode(), verbose.err());
        assertTrue(verbose.err().contains("TokenizerException") && verbose.err().contains("\tat dev.steeropt"),
                "-v prints the stack trace: " + verbose.err());
    }

    record Spawned(int exitCode, String out, String err) {}

    static Spawned spawn(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", Main.class.getName()));
        cmd.addAll(Arrays.asList(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the spawned CLI finished");
        return new Spawned(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
