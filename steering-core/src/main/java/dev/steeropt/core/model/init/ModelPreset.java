package dev.steeropt.core.model.init;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The published model shapes {@link ModelInitializer#preset} can write, by the name {@code init-model --like} takes.
 * {@link ModelInitializer#preset} documents each shape.
 */
public enum ModelPreset {
    /** {@code HuggingFaceTB/SmolLM2-135M}: Llama. */
    SMOLLM2_135M("smollm2-135m"),
    /** {@code Qwen/Qwen2.5-0.5B}: Qwen2. */
    QWEN2_5_0_5B("qwen2.5-0.5b"),
    /** {@code Qwen/Qwen3-0.6B}. */
    QWEN3_0_6B("qwen3-0.6b"),
    /** {@code google/gemma-2-2b}. */
    GEMMA_2_2B("gemma-2-2b"),
    /** {@code microsoft/Phi-3-mini-4k-instruct}. */
    PHI_3_MINI("phi-3-mini"),
    /** {@code allenai/OLMo-2-0425-1B}. */
    OLMO_2_1B("olmo-2-1b"),
    /** {@code EleutherAI/pythia-160m}: GPT-NeoX. */
    PYTHIA_160M("pythia-160m");

    private final String cliName;

    ModelPreset(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line, e.g. {@code qwen3-0.6b}. */
    public String cliName() {
        return cliName;
    }

    /** The preset of that name (case-insensitive), if there is one. */
    public static Optional<ModelPreset> find(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.cliName.equals(n)).findFirst();
    }

    /** Every preset's name, in declaration order, for messages and help. */
    public static List<String> names() {
        return Arrays.stream(values()).map(ModelPreset::cliName).toList();
    }
}
