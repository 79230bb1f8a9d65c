/**
 * Trains a small Llama-architecture model on the CPU through the runtime's own layers
 * ({@link dev.steeropt.core.model.layers.Transformer} with weights that require gradients), and writes it as a normal
 * Hugging Face model directory that {@link dev.steeropt.core.runtime.LoadedModel} and
 * {@link dev.steeropt.core.tokenizer.Tokenizer} load like any other checkpoint.
 *
 * <p>Entry point: {@link dev.steeropt.core.train.DemoTrainer#train}; the data is plain Java
 * ({@link dev.steeropt.core.train.TrainingExample}), so this package knows nothing of datasets or grading.
 */
package dev.steeropt.core.train;
