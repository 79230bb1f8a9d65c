/**
 * SteerOpt's hookable transformer runtime on DJL + PyTorch.
 *
 * {@snippet :
 * try (LoadedModel model = LoadedModel.load(Path.of("tiny-llama-fp32"))) {          // weights, manager capped
 *     PromptBatch prompts = PromptBatch.leftPad(List.of(new int[] {5, 9, 2}), 510);
 *     float[] v = ...;                                                               // d_model floats
 *     ActivationAddition steer = ActivationAddition.of(1, v, 8f, SteerPositions.GENERATED);
 *     GenerationResult r = model.generate(GenerationRequest.builder(prompts)
 *             .maxNewTokens(12).hooks(steer.hooks()).build());                   // int[] tokens per row
 *     ActivationCapture cap = ActivationCapture.of(ActivationCapture.Select.LAST_PROMPT_TOKEN, HookPoint.residPost(1));
 *     model.generate(GenerationRequest.builder(prompts).maxNewTokens(1).hooks(cap.hooks()).build());
 *     float[] h = cap.get(HookPoint.residPost(1), 0, 2);                             // row 0, position 2
 * }
 * }
 *
 * Packages: {@code model.config}, {@code model.weights}, {@code model.arch}, {@code model.layers} (loading and the
 * shared layers), {@code runtime} (generation, forward, prefix reuse, step API), {@code hooks} (hook points, capture,
 * activation addition), {@code tokenizer} (HF tokenizers and chat templates).
 */
package dev.steeropt.core;
