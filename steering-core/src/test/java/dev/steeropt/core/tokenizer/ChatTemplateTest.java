package dev.steeropt.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ChatTemplate against exact strings. The expected texts are what Jinja2 3.1 renders for the same templates with
 * transformers' settings (trim_blocks, lstrip_blocks, loopcontrols, tojson = json.dumps(ensure_ascii=False)).
 */
class ChatTemplateTest {

    private static final String BOS = "<|begin_of_text|>";
    private static final String EOT = "<|eot_id|>";

    private static final List<ChatMessage> CONVERSATION = List.of(
            ChatMessage.system("  Be brief. "),
            ChatMessage.user("What is 2+2?\n"),
            ChatMessage.assistant("4"),
            ChatMessage.user("And 3+3?"));

    static String resource(String name) throws IOException {
        try (InputStream in = ChatTemplateTest.class.getResourceAsStream("/chat-templates/" + name)) {
            assertTrue(in != null, "test resource missing: chat-templates/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A conversation whose assistant turn carries a Qwen3-style reasoning block. */
    private static final List<ChatMessage> THINKING = List.of(
            ChatMessage.system("  Be brief. "),
            ChatMessage.user("What is 2+2?\n"),
            ChatMessage.assistant("<think>\nadd them\n</think>\n\n4"),
            ChatMessage.user("And 3+3?"));

    /** Gemma-style turns: BOS once, "model" for the assistant role, the system text folded into the first user turn. */
    @Test
    void gemmaStyleTemplateRendersExactly() throws IOException {
        ChatTemplate t = ChatTemplate.of(resource("gemma.jinja"), "<bos>", "<end_of_turn>");
        assertEquals("<bos><start_of_turn>user\nBe brief.\n\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n<think>\nadd them\n"
                + "</think>\n\n4<end_of_turn>\n<start_of_turn>user\nAnd 3+3?<end_of_turn>\n<start_of_turn>model\n", t.render(THINKING, true));
        assertEquals("<bos><start_of_turn>user\nBe brief.\n\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n<think>\nadd them\n"
                + "</think>\n\n4<end_of_turn>\n<start_of_turn>user\nAnd 3+3?<end_of_turn>\n", t.render(THINKING, false));
        assertEquals("<bos><start_of_turn>user\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n", t.render(THINKING.subList(1, 2), true));
    }

    /** Qwen3-style: the reasoning block of a past assistant turn is dropped (split on the closing tag), the rest kept. */
    @Test
    void qwen3StyleTemplateDropsPastThinking() throws IOException {
        ChatTemplate t = ChatTemplate.of(resource("qwen3.jinja"), "", "<|im_end|>");
        assertEquals("<|im_start|>system\n  Be brief. <|im_end|>\n<|im_start|>user\nWhat is 2+2?\n<|im_end|>\n<|im_start|>assistant\n"
                + "4<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n", t.render(THINKING, true));
        assertEquals("<|im_start|>system\n  Be brief. <|im_end|>\n<|im_start|>user\nWhat is 2+2?\n<|im_end|>\n<|im_start|>assistant\n"
                + "4<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n", t.render(THINKING, false));
        // the published template's Python string method (.lstrip) is not in the engine: a clear error, not wrong text
        String published = resource("qwen3.jinja").replace("content.split('</think>') | last | trim",
                "content.split('</think>')[-1].lstrip('\\n')");
        TokenizerException e = org.junit.jupiter.api.Assertions.assertThrows(TokenizerException.class,
                () -> ChatTemplate.of(published, "", "<|im_end|>").render(THINKING, true));
        assertTrue(e.getMessage().contains("lstrip"), e.getMessage());
    }

    @Test
    void chatMlTemplateRendersExactly() throws IOException {
        ChatTemplate t = ChatTemplate.of(resource("chatml.jinja"), "", "<|im_end|>");
        assertEquals("<|im_start|>system\n  Be brief. <|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
                + "<|im_start|>assistant\n4<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n",
                t.render(CONVERSATION, true));
        assertEquals("<|im_start|>system\n  Be brief. <|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
                + "<|im_start|>assistant\n4<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n",
                t.render(CONVERSATION, false));
        assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is 2+2?"
                + "<|im_end|>\n<|im_start|>assistant\n", t.render(CONVERSATION.subList(1, 2), true));
    }

    @Test
    void llama3TemplateRendersExactly() throws IOException {
        ChatTemplate t = ChatTemplate.of(resource("llama3.jinja"), BOS, EOT);
        String h = "<|start_header_id|>";
        String e = "<|end_header_id|>\n\n";
        assertEquals(BOS + h + "system" + e + "Be brief." + EOT + h + "user" + e + "What is 2+2?" + EOT + h
                + "assistant" + e + "4" + EOT + h + "user" + e + "And 3+3?" + EOT + h + "assistant" + e,
                t.render(CONVERSATION, true));
        assertEquals(BOS + h + "system" + e + "Be brief." + EOT + h + "user" + e + "What is 2+2?" + EOT + h
                + "assistant" + e + "4" + EOT + h + "user" + e + "And 3+3?" + EOT, t.render(CONVERSATION, false));
        // loop.last on an assistant turn appends eos_token
        assertEquals(BOS + h + "user" + e + "What is 2+2?" + EOT + h + "assistant" + e + "4" + EOT + EOT,
                t.render(CONVERSATION.subList(1, 3), false));
    }

    @Test
    void tojsonPrintsLikePythonJsonDumps() throws IOException {
        ChatTemplate t = ChatTemplate.of(resource("llama3.jinja"), BOS, EOT);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("type", "object");
        params.put("required", List.of("expr"));
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("name", "calc");
        tool.put("parameters", params);
        tool.put("strict", true);
        tool.put("n", 1.5);
        tool.put("x", null);
        assertEquals(BOS + "<|start_header_id|>tools<|end_header_id|>\n\n[{\"name\": \"calc\", \"parameters\":"
                + " {\"type\": \"object\", \"required\": [\"expr\"]}, \"strict\": true, \"n\": 1.5, \"x\": null}]"
                + EOT + "<|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?" + EOT
                + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                t.render(CONVERSATION.subList(1, 2), true, Map.of("tools", List.of(tool))));

        Map<String, Object> value = new LinkedHashMap<>();
        value.put("a", "é\"\n");
        value.put("b", List.of(1, 2, Map.of()));
        value.put("c", List.of());
        ChatTemplate indented = ChatTemplate.of("{{ value | tojson(indent=2) }}", "", "");
        assertEquals("{\n  \"a\": \"é\\\"\\n\",\n  \"b\": [\n    1,\n    2,\n    {}\n  ],\n  \"c\": []\n}",
                indented.render(List.of(), false, Map.of("value", value)));
    }

    @Test
    void trimBlocksAndLstripBlocksMatchTransformers() throws IOException {
        ChatTemplate t = ChatTemplate.of(resource("blocks.jinja"), "", "");
        assertEquals("A1:   Be brief. \nQ2: What is 2+2?\n\nA3: 4\nQ4: And 3+3?\nA:", t.render(CONVERSATION, true));
        assertEquals("A1:   Be brief. \nQ2: What is 2+2?\n\nA3: 4\nQ4: And 3+3?\n", t.render(CONVERSATION, false));
        assertEquals("Q1: What is 2+2?\n\nA:", t.render(CONVERSATION.subList(1, 2), true));
    }

    @Test
    void raiseExceptionAbortsWithTheTemplatesMessage() throws IOException {
        ChatTemplate chatml = ChatTemplate.of(resource("chatml.jinja"), "", "");
        TokenizerException e = assertThrows(TokenizerException.class, () -> chatml.render(
                List.of(ChatMessage.user("hi"), ChatMessage.system("late")), true));
        assertTrue(e.getMessage().contains("System message must be the first message, found one at index 1"),
                e.getMessage());

        ChatTemplate llama = ChatTemplate.of(resource("llama3.jinja"), BOS, EOT);
        TokenizerException e2 = assertThrows(TokenizerException.class, () -> llama.render(
                List.of(ChatMessage.user("a"), ChatMessage.user("b")), true));
        assertTrue(e2.getMessage().contains("Conversation roles must alternate"), e2.getMessage());
    }

    @Test
    void unsupportedJinjaIsAnErrorNotSilentOutput() {
        ChatTemplate t = ChatTemplate.of("{% for m in messages %}{% break %}{% endfor %}", "", "");
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> t.render(List.of(ChatMessage.user("x")), false));
        assertTrue(e.getMessage().contains("Cannot render the chat template"), e.getMessage());
    }

    @Test
    void reservedVariablesCannotBeOverridden() {
        ChatTemplate t = ChatTemplate.of("{{ bos_token }}", "<s>", "</s>");
        assertThrows(IllegalArgumentException.class, () -> t.render(List.of(), false, Map.of("bos_token", "x")));
        assertEquals("<s>", t.render(List.of(), false));
    }

    @Test
    void tokenizerLoadsTheTemplateFromTokenizerConfigAndEncodesWithoutAddingBos(@TempDir Path dir)
            throws IOException {
        Path src = Fixtures.tinyModel("tiny-llama-fp32");
        Files.copy(src.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(src.resolve("tokenizer_config.json").toFile());
        config.put("chat_template", "{{ bos_token }}{% for m in messages %}{{ m.role }}: {{ m.content }}\n"
                + "{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}");
        json.writeValue(dir.resolve("tokenizer_config.json").toFile(), config);
        try (Tokenizer tok = Tokenizer.load(dir)) {
            ChatTemplate t = tok.chatTemplate().orElseThrow();
            String text = t.render(List.of(ChatMessage.user("Hello world")), true);
            assertEquals("<|begin_of_text|>user: Hello world\nassistant:", text);
            int[] ids = tok.encodeChat(List.of(ChatMessage.user("Hello world")), true);
            assertArrayEquals(tok.encode(text, false), ids);
            assertEquals(511, ids[0], "the BOS written by the template, once");
            assertTrue(ids[1] != 511, "no second BOS from the post-processor");
            assertEquals(text, tok.decode(ids, false));
        }
    }
}
