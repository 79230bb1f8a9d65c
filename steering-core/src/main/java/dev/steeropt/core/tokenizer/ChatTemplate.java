package dev.steeropt.core.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.steeropt.core.model.io.PythonJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Hugging Face chat template ({@code tokenizer_config.json → chat_template}), rendered with Jinjava the way
 * transformers' {@code apply_chat_template(..., tokenize=False)} renders it with Jinja2.
 *
 * <p>What matches transformers: {@code trim_blocks} and {@code lstrip_blocks} are on; a single trailing newline of the
 * template source is dropped (Jinja2's {@code keep_trailing_newline=False}); the variables {@code messages},
 * {@code add_generation_prompt}, {@code bos_token} and {@code eos_token} are bound; {@code raise_exception(msg)} aborts
 * rendering with a {@link TokenizerException} carrying {@code msg}; {@code tojson} prints like Python's
 * {@code json.dumps(x, ensure_ascii=False)} (separators {@code ", "} and {@code ": "}, {@code indent=n} honoured); and
 * {@code trim}, {@code length}, {@code loop.first/last/index0}, {@code namespace()} and {@code {%- -%}} work as
 * Jinja2's.
 *
 * <p>What does not: Jinja2's {@code loopcontrols} tags ({@code {% break %}}, {@code {% continue %}}), Python string
 * methods called on values ({@code .strip()}, {@code .startswith()}) and {@code strftime_now} are unknown to Jinjava;
 * a template using them fails to render with a message naming the problem, rather than rendering something else.
 *
 * <p>Immutable and thread-safe: every {@link #render} call uses its own interpreter.
 *
 * {@snippet :
 * ChatTemplate t = ChatTemplate.of(source, "<|begin_of_text|>", "<|endoftext|>");
 * String prompt = t.render(List.of(ChatMessage.user("2+2?")), true);
 * int[] ids = tokenizer.encode(prompt, false); // the template already holds the special tokens
 * }
 */
public final class ChatTemplate {

    private final String source;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinjava;

    private ChatTemplate(String source, String bosToken, String eosToken) {
        this.source = source;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        this.jinjava = newJinjava();
    }

    /**
     * A template from its Jinja source.
     *
     * @param source   the Jinja text, as in {@code tokenizer_config.json → chat_template}; not blank
     * @param bosToken the text bound to {@code bos_token}, or {@code ""} when the tokenizer has none
     * @param eosToken the text bound to {@code eos_token}, or {@code ""} when the tokenizer has none
     * @throws IllegalArgumentException if {@code source} is blank
     */
    public static ChatTemplate of(String source, String bosToken, String eosToken) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(bosToken, "bosToken");
        Objects.requireNonNull(eosToken, "eosToken");
        if (source.isBlank()) {
            throw new IllegalArgumentException("chat template source is blank; expected Jinja text");
        }
        return new ChatTemplate(source, bosToken, eosToken);
    }

    /** The Jinja source, as given. */
    public String source() {
        return source;
    }

    /** The text bound to {@code bos_token}. */
    public String bosToken() {
        return bosToken;
    }

    /** The text bound to {@code eos_token}. */
    public String eosToken() {
        return eosToken;
    }

    /**
     * Renders a conversation.
     *
     * @param messages            the turns, in order
     * @param addGenerationPrompt whether to append the header that opens the assistant's reply
     * @return the prompt text, special tokens included as text
     * @throws TokenizerException if the template calls {@code raise_exception} or fails to render
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders a conversation with extra template variables (for example {@code tools} or {@code date_string}).
     *
     * @param messages            the turns, in order
     * @param addGenerationPrompt whether to append the header that opens the assistant's reply
     * @param extraVariables      more bindings; they may not redefine {@code messages}, {@code add_generation_prompt},
     *                            {@code bos_token} or {@code eos_token}
     * @return the prompt text, special tokens included as text
     * @throws TokenizerException if the template calls {@code raise_exception} or fails to render
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> extraVariables) {
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(extraVariables, "extraVariables");
        Map<String, Object> bindings = new HashMap<>(extraVariables);
        for (String reserved : List.of("messages", "add_generation_prompt", "bos_token", "eos_token")) {
            if (bindings.containsKey(reserved)) {
                throw new IllegalArgumentException(
                        "extra template variable '" + reserved + "' clashes with a variable ChatTemplate binds itself;"
                                + " pass it through the dedicated parameter instead");
            }
        }
        List<Map<String, Object>> turns = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            turns.add(m.toTemplateMap());
        }
        bindings.put("messages", turns);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        bindings.put("bos_token", bosToken);
        bindings.put("eos_token", eosToken);

        RenderResult result = jinjava.renderForResult(jinjaSource(source), bindings);
        for (TemplateError error : result.getErrors()) {
            RaisedByTemplate raised = findRaised(error.getException());
            if (raised != null) {
                throw new TokenizerException("The chat template rejected the conversation: " + raised.getMessage()
                        + ". Change the messages to what this model's template accepts (for example roles and their"
                        + " order).", raised);
            }
        }
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL || isUnknown(error)) {
                throw new TokenizerException("Cannot render the chat template: " + describe(error)
                        + ". Jinjava renders most Hugging Face templates, but not Jinja2 loop controls"
                        + " ({% break %}, {% continue %}), Python string methods such as .strip(), or strftime_now;"
                        + " rewrite that part of the template with filters (e.g. |trim) or pass a template that"
                        + " avoids it.", error.getException());
            }
        }
        return result.getOutput();
    }

    /** Jinja2 drops one trailing newline of the template source unless {@code keep_trailing_newline} is set. */
    private static String jinjaSource(String source) {
        if (source.endsWith("\r\n")) {
            return source.substring(0, source.length() - 2);
        }
        if (source.endsWith("\n")) {
            return source.substring(0, source.length() - 1);
        }
        return source;
    }

    private static boolean isUnknown(TemplateError error) {
        return error.getReason() == TemplateError.ErrorReason.UNKNOWN
                || error.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR
                || error.getReason() == TemplateError.ErrorReason.EXCEPTION;
    }

    private static String describe(TemplateError error) {
        return error.getMessage() + " (line " + error.getLineno() + ", " + error.getReason() + ")";
    }

    private static RaisedByTemplate findRaised(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RaisedByTemplate r) {
                return r;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    private static Jinjava newJinjava() {
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withFailOnUnknownTokens(false)
                // Jinja2 never renders a variable's value as a template; without this a message such as "{{ 7 * 7 }}"
                // (or LaTeX's "\frac{{a}}{b}") would be interpreted instead of quoted.
                .withNestedInterpretationEnabled(false)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseNaturalOperatorPrecedence(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withUsePyishObjectMapper(true)
                        .withKeepNullableLoopValues(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .build())
                .build();
        Jinjava jinjava = new Jinjava(config);
        try {
            jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition(
                    "", "raise_exception", ChatTemplate.class.getDeclaredMethod("raiseException", String.class)));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("ChatTemplate.raiseException(String) is missing", e);
        }
        jinjava.getGlobalContext().registerFilter(new PythonToJsonFilter());
        return jinjava;
    }

    /**
     * Bound to {@code raise_exception} in templates; public only because Jinjava calls it by reflection.
     *
     * @param message the template's message
     * @return never returns
     */
    public static Object raiseException(String message) {
        throw new RaisedByTemplate(message);
    }

    /** The exception {@code raise_exception} throws inside Jinjava; unwrapped into a {@link TokenizerException}. */
    static final class RaisedByTemplate extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RaisedByTemplate(String message) {
            super(message);
        }
    }

    /**
     * {@code tojson} as transformers defines it: {@code json.dumps(x, ensure_ascii=False, indent=indent)}, so
     * {@code {"a": 1, "b": [1, 2]}} with Python's default separators, or one item per line when {@code indent} is
     * given.
     */
    static final class PythonToJsonFilter implements Filter {

        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            Integer indent = args.length > 0 && args[0] != null ? Integer.valueOf(args[0].trim()) : null;
            return PythonJson.dumps(var, indent);
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object indentArg = kwargs.containsKey("indent") ? kwargs.get("indent") : args.length > 0 ? args[0] : null;
            Integer indent = null;
            if (indentArg instanceof Number n) {
                indent = n.intValue();
            } else if (indentArg != null) {
                indent = Integer.valueOf(indentArg.toString().trim());
            }
            return PythonJson.dumps(var, indent);
        }
    }
}
