/**
 * Reading safetensors weights: {@link dev.steeropt.core.model.weights.SafetensorsFile} validates and memory-maps one
 * file, {@link dev.steeropt.core.model.weights.WeightStore} joins the shards of a folder, and
 * {@link dev.steeropt.core.model.weights.WeightLoader} turns tensors into NDArrays of the compute dtype (BF16 widened to
 * F32 in Java).
 */
package dev.steeropt.core.model.weights;
