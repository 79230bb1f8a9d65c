package dev.steeropt.core.runtime;

import dev.steeropt.core.hooks.HookSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * One generate call: prompts, length, sampling, stop conditions, hooks, and optionally a reusable prefilled prefix.
 * Immutable; built with {@link #builder(PromptBatch)}.
 *
 * @param prompts       the left-padded batch
 * @param maxNewTokens  new tokens per row at most (≥ 0)
 * @param sampling      greedy or sampling settings
 * @param stopTokenIds  a row stops after emitting one of these (its EOS ids); empty = never
 * @param stopStrings   a row stops once its decoded continuation contains one of these
 * @param decoder       turns a row's generated ids into text (required with stop strings)
 * @param hooks         hooks active for this call only, during prefill and every step
 * @param prefix        a prefilled {@link PromptState} of exactly these prompts, or null
 */
public record GenerationRequest(PromptBatch prompts, int maxNewTokens, SamplingParams sampling, Set<Integer> stopTokenIds,
        List<String> stopStrings, Function<int[], String> decoder, HookSet hooks, PromptState prefix) {

    public GenerationRequest {
        Objects.requireNonNull(prompts, "prompts");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(hooks, "hooks");
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens must be >= 0, got " + maxNewTokens);
        }
        stopTokenIds = Set.copyOf(stopTokenIds);
        stopStrings = List.copyOf(stopStrings);
        if (!stopStrings.isEmpty() && decoder == null) {
            throw new IllegalArgumentException("stop strings need a decoder (ids -> text); set one with Builder.decoder");
        }
        if (prefix != null && !prefix.batch().equals(prompts)) {
            throw new IllegalArgumentException("the prefix was prefilled for " + prefix.batch() + ", not for " + prompts);
        }
    }

    /** A builder with defaults: 64 new tokens, greedy, no stop condition, no hooks, no prefix. */
    public static Builder builder(PromptBatch prompts) {
        return new Builder(prompts);
    }

    /** A builder for a request reusing a prefilled prompt state. */
    public static Builder builder(PromptState prefix) {
        return new Builder(prefix.batch()).prefix(prefix);
    }

    /** Builder of {@link GenerationRequest}. */
    public static final class Builder {
        private final PromptBatch prompts;
        private int maxNewTokens = 64;
        private SamplingParams sampling = SamplingParams.greedy();
        private Set<Integer> stopTokenIds = Set.of();
        private List<String> stopStrings = List.of();
        private Function<int[], String> decoder;
        private HookSet hooks = HookSet.empty();
        private PromptState prefix;

        private Builder(PromptBatch prompts) {
            this.prompts = Objects.requireNonNull(prompts, "prompts");
        }

        /** New tokens per row at most (default 64; ≥ 0). */
        public Builder maxNewTokens(int n) {
            this.maxNewTokens = n;
            return this;
        }

        /** Sampling (default greedy). */
        public Builder sampling(SamplingParams s) {
            this.sampling = s;
            return this;
        }

        /** EOS ids that end a row (default none). */
        public Builder stopTokenIds(Set<Integer> ids) {
            this.stopTokenIds = ids;
            return this;
        }

        /** Strings that end a row once its decoded continuation contains them (needs {@link #decoder}). */
        public Builder stopStrings(List<String> s) {
            this.stopStrings = s;
            return this;
        }

        /** Decoder used for stop strings. */
        public Builder decoder(Function<int[], String> d) {
            this.decoder = d;
            return this;
        }

        /** Hooks for this call (default none). */
        public Builder hooks(HookSet h) {
            this.hooks = h;
            return this;
        }

        /** A prefilled state of the same prompts to start from. */
        public Builder prefix(PromptState p) {
            this.prefix = p;
            return this;
        }

        /** The request; validates all fields. */
        public GenerationRequest build() {
            return new GenerationRequest(prompts, maxNewTokens, sampling, stopTokenIds, stopStrings, decoder, hooks, prefix);
        }
    }
}
