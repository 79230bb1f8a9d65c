package dev.steeropt.core.hooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A named place in the forward pass where an activation of shape {@code [batch, pos, d_model]} (hook_z:
 * {@code [batch, pos, n_heads·d_head]}) can be read or replaced. Names follow TransformerLens, 0-based:
 *
 * <pre>
 * hook_embed                       token embedding (gpt2: wte[ids] only; Gemma: already scaled by √d_model)
 * hook_pos_embed                   gpt2 only: wpe[positions]
 * blocks.{i}.hook_resid_pre        residual entering block i (block 0: the embedding, gpt2: wte + wpe)
 * blocks.{i}.attn.hook_z          the attention heads' outputs before the output projection, flat: query head h
 *                                  at columns h·d_head..(h+1)·d_head (grouped-query models: n_heads blocks, one per
 *                                  query head, however few key/value heads they share); hook_attn_out is this
 *                                  through the output projection (and any post-attention norm)
 * blocks.{i}.hook_attn_out         attention's contribution as added to the residual stream: after the output
 *                                  projection and, where the block has one, the post-attention norm (Gemma, OLMo 2)
 * blocks.{i}.hook_resid_mid        residual after the attention add; absent in parallel-residual blocks (GPT-NeoX),
 *                                  where attention and MLP read the same input (a hook set there is an error)
 * blocks.{i}.hook_mlp_out          the MLP's contribution as added (after any post-feed-forward norm)
 * blocks.{i}.hook_resid_post       residual leaving block i (after its last residual add)
 * ln_final.hook_normalized         final RMSNorm / LayerNorm output
 * </pre>
 *
 * <p>Equivalences: {@code blocks.{i}.hook_resid_post} = HF {@code hidden_states[i+1]} for i &lt; N−1 = fixture
 * {@code hidden.layers[i]}. The last layer's {@code hook_resid_post} is the raw residual, which HF does not return;
 * HF's last entry equals {@code ln_final.hook_normalized}. Steering adds to {@code blocks.{L}.hook_resid_post}.
 *
 * <p>Immutable value; {@link #parse(String)} accepts the canonical names only and round-trips with
 * {@link #toString()}.
 *
 * @param kind  which activation
 * @param layer block index for block hooks, -1 otherwise
 */
public record HookPoint(Kind kind, int layer) {

    /** The activation kinds, in firing order within the forward pass. */
    public enum Kind {
        EMBED("hook_embed", false),
        POS_EMBED("hook_pos_embed", false),
        RESID_PRE("hook_resid_pre", true),
        Z("attn.hook_z", true),
        ATTN_OUT("hook_attn_out", true),
        RESID_MID("hook_resid_mid", true),
        MLP_OUT("hook_mlp_out", true),
        RESID_POST("hook_resid_post", true),
        LN_FINAL("ln_final.hook_normalized", false);

        private final String suffix;
        private final boolean perBlock;

        Kind(String suffix, boolean perBlock) {
            this.suffix = suffix;
            this.perBlock = perBlock;
        }

        /** True for the {@code blocks.{i}.*} kinds. */
        public boolean perBlock() {
            return perBlock;
        }

        /** The name (non-block kinds) or the part after {@code blocks.{i}.}. */
        public String suffix() {
            return suffix;
        }
    }

    private static final Pattern BLOCK = Pattern.compile("blocks\\.(0|[1-9][0-9]{0,5})\\.((?:attn\\.)?hook_[a-z_]+)");

    public HookPoint {
        Objects.requireNonNull(kind, "kind");
        if (kind.perBlock && layer < 0) {
            throw new IllegalArgumentException(kind.suffix + " needs a block index >= 0, got " + layer);
        }
        if (!kind.perBlock && layer != -1) {
            throw new IllegalArgumentException(kind.suffix + " is not a block hook; layer must be -1, got " + layer);
        }
    }

    /** {@code hook_embed}. */
    public static HookPoint embed() {
        return new HookPoint(Kind.EMBED, -1);
    }

    /** {@code hook_pos_embed} (GPT-2). */
    public static HookPoint posEmbed() {
        return new HookPoint(Kind.POS_EMBED, -1);
    }

    /** {@code blocks.{layer}.hook_resid_pre}. */
    public static HookPoint residPre(int layer) {
        return new HookPoint(Kind.RESID_PRE, layer);
    }

    /** {@code blocks.{layer}.attn.hook_z}: the per-head attention outputs, {@code [batch, pos, n_heads·d_head]}. */
    public static HookPoint z(int layer) {
        return new HookPoint(Kind.Z, layer);
    }

    /** {@code blocks.{layer}.hook_attn_out}. */
    public static HookPoint attnOut(int layer) {
        return new HookPoint(Kind.ATTN_OUT, layer);
    }

    /** {@code blocks.{layer}.hook_resid_mid}. */
    public static HookPoint residMid(int layer) {
        return new HookPoint(Kind.RESID_MID, layer);
    }

    /** {@code blocks.{layer}.hook_mlp_out}. */
    public static HookPoint mlpOut(int layer) {
        return new HookPoint(Kind.MLP_OUT, layer);
    }

    /** {@code blocks.{layer}.hook_resid_post}, the steering point. */
    public static HookPoint residPost(int layer) {
        return new HookPoint(Kind.RESID_POST, layer);
    }

    /** {@code ln_final.hook_normalized}. */
    public static HookPoint lnFinal() {
        return new HookPoint(Kind.LN_FINAL, -1);
    }

    /**
     * Parses a canonical name such as {@code blocks.3.hook_mlp_out}.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static HookPoint parse(String name) {
        Objects.requireNonNull(name, "name");
        for (Kind k : Kind.values()) {
            if (!k.perBlock && k.suffix.equals(name)) {
                return new HookPoint(k, -1);
            }
        }
        Matcher m = BLOCK.matcher(name);
        if (m.matches()) {
            for (Kind k : Kind.values()) {
                if (k.perBlock && k.suffix.equals(m.group(2))) {
                    return new HookPoint(k, Integer.parseInt(m.group(1)));
                }
            }
        }
        throw new IllegalArgumentException("\"" + name + "\" is not a hook point name (expected hook_embed, hook_pos_embed,"
                + " ln_final.hook_normalized or blocks.{i}.hook_resid_pre|attn.hook_z|hook_attn_out|hook_resid_mid|hook_mlp_out"
                + "|hook_resid_post)");
    }

    /**
     * All hook points of a model, in the order they fire during a forward pass.
     *
     * @param numLayers         number of decoder blocks
     * @param learnedPositions  true for GPT-2 style models (adds {@code hook_pos_embed})
     */
    public static List<HookPoint> all(int numLayers, boolean learnedPositions) {
        return all(numLayers, learnedPositions, true);
    }

    /**
     * All hook points, in firing order, of a model whose blocks may lack {@code hook_resid_mid} (parallel-residual
     * blocks, as GPT-NeoX's, have no residual stream between attention and MLP).
     */
    public static List<HookPoint> all(int numLayers, boolean learnedPositions, boolean residMid) {
        List<HookPoint> out = new ArrayList<>();
        out.add(embed());
        if (learnedPositions) {
            out.add(posEmbed());
        }
        for (int i = 0; i < numLayers; i++) {
            out.add(residPre(i));
            out.add(z(i));
            out.add(attnOut(i));
            if (residMid) {
                out.add(residMid(i));
            }
            out.add(mlpOut(i));
            out.add(residPost(i));
        }
        out.add(lnFinal());
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return kind.perBlock ? "blocks." + layer + "." + kind.suffix : kind.suffix;
    }
}
