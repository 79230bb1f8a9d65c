package dev.steeropt.core.model.arch;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.steeropt.core.model.config.ConfigJson;
import dev.steeropt.core.model.config.ModelConfig;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.model.weights.WeightLoader;
import java.util.List;

/**
 * One architecture family: reads its config keys and maps its weight names onto the shared layers. Adding an
 * architecture is one class implementing this, listed in {@link ArchitectureRegistry}.
 */
public interface ArchitectureAdapter {
    /** The HF {@code model_type} values this adapter handles. */
    List<String> modelTypes();

    /**
     * Resolves the config, rejecting settings that change the maths and are not implemented.
     *
     * @throws dev.steeropt.core.model.ModelLoadException naming the key, its value and what is supported
     */
    ModelConfig parseConfig(ConfigJson json);

    /**
     * Loads the weights and assembles the model. Every array is created through {@code weights} (a load scope) or
     * {@code manager}; the caller moves the result to the model manager.
     *
     * @param dtype compute dtype (FLOAT32 or FLOAT16)
     */
    Transformer build(ModelConfig config, WeightLoader weights, NDManager manager, DataType dtype);

    /**
     * Every tensor a Hugging Face checkpoint of this config stores, named as transformers names them, with the
     * shapes {@link #build} loads and transformers' initialisation. This is the one place the tensor layout of an
     * architecture is written down for writers ({@code init-model}); {@code StoredTensorsTest} checks it against the
     * files transformers itself wrote for every fixture.
     */
    List<StoredTensor> storedTensors(ModelConfig config);
}
