package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.steeropt.core.hooks.HookPoint;
import java.util.List;
import java.util.Objects;

/**
 * A decoder-only transformer assembled from shared layers by an architecture adapter: embedding (+ learned
 * positions for GPT-2), blocks, final norm, unembedding. Fires {@code hook_embed}, {@code hook_pos_embed} and
 * {@code ln_final.hook_normalized}; the blocks fire their own hooks.
 *
 * <p>The forward uses plain NDArray ops that support autograd; the KV cache in {@link ForwardContext} is the only
 * inference-only path.
 */
public final class Transformer {
    /** Which positions get logits. */
    public enum Logits {
        /** Every position: {@code [batch, pos, d_vocab]}. */
        ALL,
        /** The last position only: {@code [batch, 1, d_vocab]} (the final norm, and its hook, also see only it). */
        LAST,
        /** No final norm and no logits; returns the last block's residual stream {@code [batch, pos, d_model]}. */
        NONE,
        /**
         * Every position through the final norm (its hook fires) but not unembedded: {@code [batch, pos, d_model]}, for a
         * caller that computes the logits a few rows at a time with {@link #unembed}.
         */
        NORMED
    }

    private final NDArray embed;
    private final NDArray posEmbed;
    private final List<DecoderBlock> blocks;
    private final Norm finalNorm;
    private final Linear unembed;
    private final List<Rope> ropes;
    private final float embedScale;
    private final float finalSoftCap;
    private final HookPoint embedPoint = HookPoint.embed();
    private final HookPoint posEmbedPoint = HookPoint.posEmbed();
    private final HookPoint lnFinalPoint = HookPoint.lnFinal();

    /**
     * @param embed     token embedding {@code [d_vocab, d_model]}
     * @param posEmbed  learned positions {@code [n_positions, d_model]} or null
     * @param blocks    decoder blocks in order
     * @param finalNorm final norm
     * @param unembed   output matrix {@code [d_model, d_vocab]} (for tied models a transposed view of the embedding)
     * @param rope      RoPE tables, or null for learned positions
     */
    public Transformer(NDArray embed, NDArray posEmbed, List<DecoderBlock> blocks, Norm finalNorm, NDArray unembed, Rope rope) {
        this(embed, posEmbed, blocks, finalNorm, unembed, rope == null ? List.of() : List.of(rope), 1f, 0f);
    }

    /**
     * @param ropes        RoPE tables, table t serving the attention layers of {@code ropeTable} t (empty for learned
     *                     positions)
     * @param embedScale   factor on the looked-up embedding before {@code hook_embed} (Gemma: √d_model; else 1); the
     *                     unembedding uses the stored matrix
     * @param finalSoftCap final logit soft-cap c ({@code logits = c·tanh(z/c)}), or 0 for none
     */
    public Transformer(NDArray embed, NDArray posEmbed, List<DecoderBlock> blocks, Norm finalNorm, NDArray unembed,
            List<Rope> ropes, float embedScale, float finalSoftCap) {
        this.embed = Objects.requireNonNull(embed);
        this.posEmbed = posEmbed;
        this.blocks = List.copyOf(blocks);
        this.finalNorm = Objects.requireNonNull(finalNorm);
        this.unembed = new Linear(Objects.requireNonNull(unembed), null);
        this.ropes = List.copyOf(ropes);
        this.embedScale = embedScale;
        this.finalSoftCap = finalSoftCap;
        if ((posEmbed == null) == ropes.isEmpty()) {
            throw new IllegalArgumentException("a model needs exactly one of learned positions and RoPE");
        }
        for (int i = 1; i < this.ropes.size(); i++) {
            if (this.ropes.get(i).maxPositions() != this.ropes.get(0).maxPositions()) {
                throw new IllegalArgumentException("every RoPE table must cover the same positions");
            }
        }
    }

    /** Every array the model holds (weights, views of weights such as a tied unembedding, RoPE tables). */
    public List<NDArray> parameters() {
        List<NDArray> p = new java.util.ArrayList<>();
        p.add(embed);
        if (posEmbed != null) {
            p.add(posEmbed);
        }
        for (DecoderBlock b : blocks) {
            p.addAll(b.parameters());
        }
        p.addAll(finalNorm.parameters());
        p.addAll(unembed.parameters());
        for (Rope r : ropes) {
            p.addAll(r.parameters());
        }
        return p;
    }

    /**
     * Packs every projection and the unembedding for {@link OneDnn} (in place, once, before the model is shared): the
     * model then serves inference only. A separate output matrix is freed once packed; a tied one stays, as the
     * embedding.
     */
    public void packForInference(OneDnn oneDnn) {
        for (DecoderBlock b : blocks) {
            for (Linear l : b.linears()) {
                l.packForInference(oneDnn);
            }
        }
        unembed.packForInference(oneDnn);
    }

    /** Decoder blocks. */
    public List<DecoderBlock> blocks() {
        return blocks;
    }

    /** True for learned absolute positions (GPT-2). */
    public boolean learnedPositions() {
        return posEmbed != null;
    }

    /** True if no block has a {@code hook_resid_mid} (parallel-residual blocks, as GPT-NeoX's). */
    public boolean parallelResidual() {
        return !blocks.isEmpty() && blocks.get(0).residual() == DecoderBlock.Residual.PARALLEL;
    }

    /** Largest supported position + 1. */
    public int maxPositions() {
        return !ropes.isEmpty() ? ropes.get(0).maxPositions() : (int) posEmbed.getShape().get(0);
    }

    /**
     * Runs the model over new tokens.
     *
     * @param ids         {@code [batch, pos]} int64 token ids, in the step scope
     * @param positionIds {@code [batch, pos]} int64 position ids (0 at pads)
     * @param logits      which logits to compute
     * @return logits {@code [batch, pos or 1, d_vocab]}, or the residual stream for {@link Logits#NONE}
     */
    public NDArray forward(NDArray ids, NDArray positionIds, ForwardContext ctx, Logits logits) {
        NDArray x = embed.getNDArrayInternal().getIndexer(ctx.manager()).get(embed, new NDIndex("{}", ids));
        if (embedScale != 1f) {
            x = x.mul(embedScale);
        }
        x = ctx.fire(embedPoint, x);
        if (posEmbed != null) {
            NDArray pe = posEmbed.getNDArrayInternal().getIndexer(ctx.manager()).get(posEmbed, new NDIndex("{}", positionIds));
            x = x.add(ctx.fire(posEmbedPoint, pe));
        } else {
            setRopeTables(positionIds, ctx);
        }
        return runBlocks(x, 0, ctx, logits);
    }

    private void setRopeTables(NDArray positionIds, ForwardContext ctx) {
        NDArray[] cos = new NDArray[ropes.size()];
        NDArray[] sin = new NDArray[ropes.size()];
        for (int t = 0; t < ropes.size(); t++) {
            NDArray[] cs = ropes.get(t).tables(ctx.manager(), positionIds);
            cos[t] = cs[0];
            sin[t] = cs[1];
        }
        ctx.setRope(cos, sin);
    }

    /**
     * Runs blocks {@code first..N-1} and the head over a residual stream that enters block {@code first}: the rest of
     * a forward whose lower blocks ran earlier (their keys and values already in the cache). Fires no embedding hook
     * and no hook of a block below {@code first}; the caller guarantees that none is set.
     *
     * @param first       index of the first block to run, {@code 0 <= first < N}
     * @param residual    {@code [batch, pos, d_model]}: the input of block {@code first} ({@code blocks.{first}.hook_resid_pre}
     *                    before its hooks), in the step scope
     * @param positionIds {@code [batch, pos]} int64 position ids (0 at pads), for the RoPE tables
     * @return as {@link #forward}
     */
    public NDArray forwardFrom(int first, NDArray residual, NDArray positionIds, ForwardContext ctx, Logits logits) {
        if (first < 0 || first >= blocks.size()) {
            throw new IllegalArgumentException("first block " + first + " is outside 0.." + (blocks.size() - 1));
        }
        if (!ropes.isEmpty()) {
            setRopeTables(positionIds, ctx);
        }
        return runBlocks(residual, first, ctx, logits);
    }

    private NDArray runBlocks(NDArray x, int first, ForwardContext ctx, Logits logits) {
        if (x.getShape().get(1) == 1) {
            ctx.mask4(); // made once per step, shared by every block
        }
        boolean own = false; // the stream entering the first block belongs to the caller
        for (DecoderBlock block : blocks.subList(first, blocks.size())) {
            // Each block runs in its own scope: its temporaries are freed when it ends, so the allocator reuses memory
            // from block to block instead of growing through the whole pass. An op's result joins the manager of its
            // first operand, so the block's input must sit in the block scope for the temporaries to land there: the
            // previous block's output is moved in (and freed with it), the caller's array only borrowed. Autograd
            // keeps what backward needs.
            try (NDManager blockScope = ctx.manager().newSubManager()) {
                if (own) {
                    x.attach(blockScope);
                } else {
                    x.tempAttach(blockScope);
                }
                NDArray out = block.forward(x, ctx.withManager(blockScope));
                own = out != x && out.getManager() == blockScope;
                if (own) {
                    out.attach(ctx.manager());
                }
                x = out;
            }
        }
        if (logits == Logits.NONE) {
            return x;
        }
        long len = x.getShape().get(1);
        if (logits == Logits.LAST && len > 1) {
            x = x.get(new NDIndex().addAllDim().addSliceDim(len - 1, len));
        }
        NDArray normed = ctx.fire(lnFinalPoint, finalNorm.apply(x));
        return logits == Logits.NORMED ? normed : unembed(normed);
    }

    /** Columns of the unembedding (d_vocab). */
    public long vocabSize() {
        return unembed.outFeatures();
    }

    /**
     * The head the forward runs after the last block, without its hook: the final norm, then {@link #unembed}, on any
     * residual stream {@code [batch, pos, d_model]} (e.g. a lower block's {@code hook_resid_post}, the logit lens).
     * Whatever the model applies after its final norm belongs in {@link #unembed}, so that this equals the model's own
     * logits on the last block's output.
     */
    public NDArray head(NDArray residual) {
        return unembed(finalNorm.apply(residual));
    }

    /**
     * Logits {@code [..., d_vocab]} of final-normed activations {@code [..., d_model]} (see {@link Logits#NORMED}),
     * after the final soft-cap if the model has one.
     */
    public NDArray unembed(NDArray normed) {
        NDArray z = unembed.apply(normed);
        return finalSoftCap > 0 ? z.div(finalSoftCap).tanh().mul(finalSoftCap) : z;
    }
}
