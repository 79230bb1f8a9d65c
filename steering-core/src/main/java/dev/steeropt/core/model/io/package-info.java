/**
 * Writing model files in Hugging Face's formats: {@link dev.steeropt.core.model.io.SafetensorsWriter} streams
 * tensors into a standard safetensors file. Reading lives in {@code dev.steeropt.core.model.weights}.
 */
package dev.steeropt.core.model.io;
