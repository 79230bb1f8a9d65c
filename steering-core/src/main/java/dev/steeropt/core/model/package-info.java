/**
 * Loading Hugging Face model folders: {@link dev.steeropt.core.model.ModelLoadException} is the one error type for
 * bad folders, configs and weight files. Sub-packages hold the config records, the safetensors reader, the
 * architecture adapters and the shared transformer layers.
 */
package dev.steeropt.core.model;
