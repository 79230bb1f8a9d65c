package dev.steeropt.studies.vectors;

import dev.steeropt.cache.key.ActivationKey;
import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.cache.store.CachedTensor;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.steering.caa.ReadPosition;
import dev.steeropt.core.steering.caa.ResidualReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Residual-stream reads ({@code blocks.{L}.hook_resid_post} at one position per sequence) through the activation
 * cache: one entry per layer, holding a {@code [sequences, d_model]} tensor {@value #TENSOR}. Layers already cached
 * cost nothing; the missing ones are read together, one forward per batch, and stored.
 *
 * <p>The key is the caller's {@link Scope} plus the hook point, the read position and a SHA-256 of the token ids
 * themselves (in {@code tokenization}), so a changed prompt, pair builder or tokenizer can never be served stale
 * activations.
 */
public final class CachedActivations {
    /** The tensor name inside each cache entry. */
    public static final String TENSOR = "activations";

    private CachedActivations() {}

    /**
     * What identifies a set of sequences apart from their token ids.
     *
     * @param modelFingerprint  {@code Fingerprints.model(dir)}
     * @param split             a name for the set, e.g. {@code train/gold_vs_corrupted_answer/positive}
     * @param splitHash         {@code Fingerprints.idList(itemIds)}
     * @param promptVariantHash the prompt template's hash
     * @param tokenization      tokenisation settings, e.g. {@code special=true}
     */
    public record Scope(String modelFingerprint, String split, String splitHash, String promptVariantHash, String tokenization) {
        public Scope {
            Objects.requireNonNull(modelFingerprint, "modelFingerprint");
            Objects.requireNonNull(split, "split");
            Objects.requireNonNull(splitHash, "splitHash");
            Objects.requireNonNull(promptVariantHash, "promptVariantHash");
            Objects.requireNonNull(tokenization, "tokenization");
        }

        /** The same scope for another named subset (e.g. {@code /positive}). */
        public Scope withSplitSuffix(String suffix) {
            return new Scope(modelFingerprint, split + suffix, splitHash, promptVariantHash, tokenization);
        }
    }

    /** The cache key of one layer's reads. */
    public static ActivationKey key(Scope scope, List<int[]> sequences, ReadPosition read, int layer) {
        return key(scope, sequences, read.label(), layer);
    }

    /** The cache key of one layer's reads of {@code sequences} under a read named {@code readLabel}. */
    static ActivationKey key(Scope scope, List<int[]> sequences, String readLabel, int layer) {
        return new ActivationKey(scope.modelFingerprint(), scope.split(), scope.splitHash(), HookPoint.residPost(layer).toString(),
                scope.promptVariantHash(), scope.tokenization() + ";ids_sha256=" + idsHash(sequences), readLabel,
                ActivationKey.FORMAT_VERSION);
    }

    /**
     * Layer → {@code [sequence][d_model]}, from the cache where present, else read through the model and cached.
     *
     * @param batchSize sequences per forward
     */
    public static Map<Integer, float[][]> read(ActivationStore store, Scope scope, LoadedModel model, List<int[]> sequences,
            ReadPosition read, List<Integer> layers, int batchSize) {
        return read(store, scope, sequences, read.label(), sequences.size(), layers,
                missing -> ResidualReader.read(model, sequences, read, missing, batchSize));
    }

    /**
     * Any per-sequence residual read through the cache: layer → {@code [rows][d_model]}, from the cache where present,
     * else from {@code compute} (called once, with the missing layers ascending) and cached.
     *
     * @param hashed    the token ids the rows depend on (all of them: they make the key)
     * @param readLabel what is read from them, e.g. {@code last_token} or {@code mean_generated}
     * @param rows      rows each layer holds
     */
    public static Map<Integer, float[][]> read(ActivationStore store, Scope scope, List<int[]> hashed, String readLabel, int rows,
            List<Integer> layers, Function<List<Integer>, Map<Integer, float[][]>> compute) {
        TreeSet<Integer> sorted = new TreeSet<>(layers);
        Map<Integer, float[][]> out = new LinkedHashMap<>();
        List<Integer> missing = new ArrayList<>();
        for (int l : sorted) {
            Optional<List<CachedTensor>> hit = store.get(key(scope, hashed, readLabel, l));
            if (hit.isPresent()) {
                out.put(l, unpack(hit.get(), rows, l));
            } else {
                missing.add(l);
            }
        }
        if (!missing.isEmpty()) {
            Map<Integer, float[][]> fresh = compute.apply(List.copyOf(missing));
            for (int l : missing) {
                float[][] acts = fresh.get(l);
                List<CachedTensor> stored = store.getOrCompute(key(scope, hashed, readLabel, l), () -> List.of(pack(acts)));
                out.put(l, unpack(stored, rows, l));
            }
        }
        Map<Integer, float[][]> ordered = new LinkedHashMap<>();
        for (int l : sorted) {
            ordered.put(l, out.get(l));
        }
        return ordered;
    }

    static CachedTensor pack(float[][] acts) {
        if (acts.length == 0) {
            throw new IllegalStateException("no activation to cache: the capture was empty");
        }
        int d = acts[0].length;
        float[] flat = new float[acts.length * d];
        for (int i = 0; i < acts.length; i++) {
            System.arraycopy(acts[i], 0, flat, i * d, d);
        }
        return new CachedTensor(TENSOR, new long[] {acts.length, d}, flat);
    }

    static float[][] unpack(List<CachedTensor> tensors, int expectedRows, int layer) {
        CachedTensor t = null;
        for (CachedTensor c : tensors) {
            if (c.name().equals(TENSOR)) {
                t = c;
            }
        }
        if (t == null || t.shape().length != 2 || t.shape()[0] != expectedRows) {
            throw new IllegalStateException("cached activations of layer " + layer + " are " + (t == null ? "missing" : t)
                    + "; expected " + expectedRows + " rows; clear the cache entry (steeropt cache clear)");
        }
        int d = (int) t.shape()[1];
        float[] flat = t.data();
        float[][] out = new float[expectedRows][d];
        for (int i = 0; i < expectedRows; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }

    /** SHA-256 of the sequences' ids (lengths included), as hex. */
    static String idsHash(List<int[]> sequences) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(4);
            for (int[] s : sequences) {
                md.update(b.clear().putInt(s.length).array());
                for (int id : s) {
                    md.update(b.clear().putInt(id).array());
                }
            }
            md.update("end".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
