package dev.steeropt.studies.analysis;

import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.studies.errors.UserFacingException;

/**
 * What must match for residual streams to move between two models: depth, width and vocabulary. The one check that
 * the cross-model {@code analyze} commands and {@code optimize --vector-source cross-model} share. Immutable.
 *
 * @param name       the model as the user named it, for messages
 * @param numLayers  decoder blocks
 * @param hiddenSize residual-stream width
 * @param vocabSize  the tokenizer's vocabulary size
 */
public record ModelShape(String name, int numLayers, int hiddenSize, int vocabSize) {

    /** The shape of a loaded model and its tokenizer. */
    public static ModelShape of(String name, LoadedModel model, Tokenizer tokenizer) {
        return new ModelShape(name, model.config().numLayers(), model.config().hiddenSize(), tokenizer.vocabSize());
    }

    /**
     * Refuses a model {@code b} of another depth, width or vocabulary than this one (model A).
     *
     * @param why what needs the same shape, for the message
     * @throws UserFacingException (usage) naming both shapes
     */
    public void requireSame(ModelShape b, String why) {
        if (numLayers != b.numLayers || hiddenSize != b.hiddenSize) {
            throw UserFacingException.usage("Models " + name + " (" + numLayers + " layers, width " + hiddenSize
                    + ") and " + b.name + " (" + b.numLayers + " layers, width " + b.hiddenSize + ") differ in shape",
                    why + " needs the same depth and width", "Pass two models of the same architecture, e.g. a model"
                    + " and its fine-tune.");
        }
        if (vocabSize != b.vocabSize) {
            throw UserFacingException.usage("Models " + name + " and " + b.name + " have different vocabularies ("
                    + vocabSize + " vs " + b.vocabSize + " tokens)", why + " feeds both the same token ids",
                    "Pass two models that share a tokenizer.");
        }
    }
}
