package dev.steeropt.studies.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.core.tokenizer.ChatMessage;
import dev.steeropt.core.tokenizer.ChatTemplate;
import dev.steeropt.core.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the tokenizer files of a model folder: {@code tokenizer.json} (through the native tokenizers library),
 * {@code tokenizer_config.json} (special tokens and the chat template, which is then rendered) and
 * {@code generation_config.json} (stop and pad ids). Each case loads the folder, encodes a batch of two texts, decodes
 * and, when there is a template, renders and encodes a conversation.
 */
class TokenizerFilesFuzzTest {
    /** Hostile or broken template pieces: unbounded loops and recursion, file access, bad syntax, raised errors. */
    static final List<String> TEMPLATE_PIECES = List.of(
            "{% for i in range(100000000) %}x{% endfor %}",
            "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
            "{% for m in messages %}{% do messages.append(m) %}{% endfor %}",
            "{% include '/etc/passwd' %}", "{% import 'x.jinja' as x %}",
            "{{ raise_exception('fuzz') }}", "{{ messages[99]['content'] }}", "{{ 1 / 0 }}",
            "{% if %}", "{% for %}", "{{", "}}", "{% endfor %}", "{{ messages | tojson }}",
            "{{ 'ab' * 100000000 }}", "{{ ''.__class__ }}", "{% set x = namespace(a=1) %}{{ x.a }}",
            "{{ strftime_now('%Y') }}", "{{ message.content.strip() }}", "{% raw %}", "{# unclosed comment");

    private static Path work;
    private static Path source;
    private static String tokenizerJson;
    private static String tokenizerConfig;
    private static String generationConfig;
    private static List<String> templates;

    @BeforeContainer
    static void setUp() throws IOException {
        work = Files.createTempDirectory("fuzz-tokenizer-");
        source = FuzzFixtures.model("tiny-llama-fp32");
        tokenizerJson = FuzzFixtures.text(source.resolve("tokenizer.json"));
        generationConfig = FuzzFixtures.text(source.resolve("generation_config.json"));
        Path templatesDir = Path.of(System.getProperty("user.dir"), "..", "steering-core", "src", "test", "resources", "chat-templates");
        try (var s = Files.list(templatesDir)) {
            templates = s.sorted().map(FuzzFixtures::text).toList();
        }
        ObjectNode config = (ObjectNode) Mutations.parse(FuzzFixtures.text(source.resolve("tokenizer_config.json")));
        config.put("chat_template", templates.get(0));
        tokenizerConfig = config.toString();
    }

    @AfterContainer
    static void report() {
        FuzzCheck.report("tokenizer.json", "tokenizer_config.json", "chat template", "generation_config.json",
                "chat message content");
    }

    @Property(tries = 400, seed = "2201")
    void tokenizerJson(@ForAll("mutatedTokenizerJson") String json) {
        runCase("tokenizer.json", json, json, tokenizerConfig, generationConfig);
    }

    @Property(tries = 600, seed = "2202")
    void tokenizerConfig(@ForAll("mutatedTokenizerConfig") String json) {
        runCase("tokenizer_config.json", json, tokenizerJson, json, generationConfig);
    }

    @Property(tries = 500, seed = "2203")
    void chatTemplate(@ForAll("templates") String template) {
        ObjectNode config = (ObjectNode) Mutations.parse(tokenizerConfig);
        config.put("chat_template", template);
        runCase("chat template", template, tokenizerJson, config.toString(), generationConfig);
    }

    @Property(tries = 500, seed = "2204")
    void generationConfig(@ForAll("mutatedGenerationConfig") String json) {
        runCase("generation_config.json", json, tokenizerJson, tokenizerConfig, json);
    }

    /** What a user writes in a message is text: a template never interprets it (as Jinja2 does not). */
    @Property(tries = 300, seed = "2205")
    void messageContentIsNeverInterpreted(@ForAll("contents") String content) {
        ChatTemplate t = ChatTemplate.of(templates.get(1), "<s>", "</s>");
        FuzzCheck.run("chat message content", Mutations.describe(content), FuzzCheck.budgetFor(content.length()), () -> {
            String rendered = t.render(List.of(ChatMessage.user(content)), true);
            assertTrue(rendered.contains(content.strip()), "the content must appear verbatim: "
                    + Mutations.describe(content) + " rendered as " + Mutations.describe(rendered));
            return rendered;
        });
    }

    @Provide
    Arbitrary<String> contents() {
        return Arbitraries.oneOf(Arbitraries.of(TEMPLATE_PIECES),
                Arbitraries.randomValue(r -> "What is " + r.nextInt(100) + " + " + piece(r) + "?"),
                Arbitraries.of("{{ 7 * 7 }}", "{{ messages }}", "{% if true %}yes{% endif %}", "{# note #}"));
    }

    @Provide
    Arbitrary<String> mutatedTokenizerJson() {
        return Mutations.ofJson(tokenizerJson);
    }

    @Provide
    Arbitrary<String> mutatedTokenizerConfig() {
        return Mutations.ofJson(tokenizerConfig);
    }

    @Provide
    Arbitrary<String> mutatedGenerationConfig() {
        return Mutations.ofJson(generationConfig);
    }

    /** The real templates with byte-level edits, with hostile pieces spliced in, or hostile pieces alone. */
    @Provide
    Arbitrary<String> templates() {
        return Arbitraries.randomValue(r -> {
            String base = templates.get(r.nextInt(templates.size()));
            switch (r.nextInt(3)) {
                case 0:
                    return new String(Mutations.mutateBytes(base.getBytes(StandardCharsets.UTF_8), r), StandardCharsets.UTF_8);
                case 1: {
                    int at = r.nextInt(base.length() + 1);
                    return base.substring(0, at) + piece(r) + base.substring(at);
                }
                default:
                    return piece(r) + (r.nextBoolean() ? piece(r) : "");
            }
        });
    }

    private static String piece(Random r) {
        return TEMPLATE_PIECES.get(r.nextInt(TEMPLATE_PIECES.size()));
    }

    /** One case of {@code target}: the folder with the three files, exercised; {@code input} is what was mutated. */
    private static void runCase(String target, String input, String tokenizer, String tokenizerConfigJson,
            String generation) {
        Path dir = folder(tokenizer, tokenizerConfigJson, generation);
        FuzzCheck.run(target, Mutations.describe(input), FuzzCheck.budgetFor(input.length()), () -> exercise(dir));
    }

    /** The case's model folder: the fixture's other files and the three given ones. */
    private static Path folder(String tokenizer, String tokenizerConfigJson, String generation) {
        Path dir = work.resolve("model");
        dir.toFile().mkdirs();
        FuzzFixtures.write(dir.resolve("tokenizer.json"), tokenizer);
        FuzzFixtures.write(dir.resolve("tokenizer_config.json"), tokenizerConfigJson);
        FuzzFixtures.write(dir.resolve("generation_config.json"), generation);
        if (!Files.exists(dir.resolve("config.json"))) {
            FuzzFixtures.write(dir.resolve("config.json"), FuzzFixtures.bytes(source.resolve("config.json")));
        }
        return dir;
    }

    /** What a run does with a tokenizer: load, batch-encode, decode, render and encode a conversation. */
    static Object exercise(Path dir) {
        try (Tokenizer t = Tokenizer.load(dir)) {
            var batch = t.encodeBatch(List.of("Hello world", "2 + 2 = 4, so the answer is 4."), true);
            int[] ids = t.encode("Hello world", true);
            String text = t.decode(ids, true);
            if (t.chatTemplate().isPresent()) {
                t.encodeChat(List.of(ChatMessage.system("Be brief."), ChatMessage.user("What is 2 + 2?")), true);
            }
            return batch.hashCode() + text.length();
        }
    }
}
