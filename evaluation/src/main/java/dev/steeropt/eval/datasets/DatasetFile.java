package dev.steeropt.eval.datasets;

import java.nio.file.Path;

/**
 * The local files a data directory holds, relative to it, with where each comes from on the Hugging Face hub.
 *
 * <p>Layout of a data directory (the same as {@code shared/data}):
 * <pre>
 * gsm8k/train.jsonl     openai/gsm8k, config main, split train  ({"question", "answer"})
 * gsm8k/test.jsonl      openai/gsm8k, config main, split test
 * math500/test.jsonl    HuggingFaceH4/MATH-500, split test      ({"problem", "solution", "answer", ...})
 * </pre>
 */
public enum DatasetFile {
    /** GSM8K train split. */
    GSM8K_TRAIN("gsm8k/train.jsonl", "openai/gsm8k", "main", "train"),
    /** GSM8K test split. */
    GSM8K_TEST("gsm8k/test.jsonl", "openai/gsm8k", "main", "test"),
    /** MATH-500 (its only split). */
    MATH500_TEST("math500/test.jsonl", "HuggingFaceH4/MATH-500", "default", "test");

    private final String relativePath;
    private final String hubDataset;
    private final String hubConfig;
    private final String hubSplit;

    DatasetFile(String relativePath, String hubDataset, String hubConfig, String hubSplit) {
        this.relativePath = relativePath;
        this.hubDataset = hubDataset;
        this.hubConfig = hubConfig;
        this.hubSplit = hubSplit;
    }

    /** Path relative to the data directory, with '/' separators. */
    public String relativePath() {
        return relativePath;
    }

    /** Hugging Face dataset repository, e.g. {@code openai/gsm8k}. */
    public String hubDataset() {
        return hubDataset;
    }

    /** Hugging Face dataset config name. */
    public String hubConfig() {
        return hubConfig;
    }

    /** Hugging Face split name. */
    public String hubSplit() {
        return hubSplit;
    }

    /** Where this file lives under {@code dataDir}. */
    public Path resolve(Path dataDir) {
        return dataDir.resolve(relativePath);
    }

    /** A sentence telling the user how to provide the file at its place under {@code dataDir}. */
    public String howToObtain(Path dataDir) {
        return "Provide " + resolve(dataDir).toAbsolutePath() + " as JSON Lines exported from the Hugging Face "
                + "dataset " + hubDataset + " (config " + hubConfig + ", split " + hubSplit
                + "), or let the hub downloader fetch it into that data directory when online.";
    }
}
