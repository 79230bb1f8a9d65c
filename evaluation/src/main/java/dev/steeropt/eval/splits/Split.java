package dev.steeropt.eval.splits;

import dev.steeropt.eval.datasets.Problem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A named, ordered list of item ids with the SHA-256 of that list (ids joined by {@code '\n'}), so a cache key or a
 * study record can pin exactly which items a split holds. Immutable.
 *
 * @param name    {@code train}, {@code validation} or {@code test}
 * @param ids     the item ids, no duplicates
 * @param idsHash lower-case hex SHA-256 of {@code String.join("\n", ids)}
 */
public record Split(String name, List<String> ids, String idsHash) {
    public Split {
        Objects.requireNonNull(name, "name");
        ids = List.copyOf(ids);
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (!seen.add(id)) {
                throw new IllegalArgumentException("split '" + name + "' lists id '" + id + "' twice");
            }
        }
        String expected = hash(ids);
        if (!expected.equals(idsHash)) {
            throw new IllegalArgumentException("split '" + name + "': idsHash " + idsHash + " does not match its ids ("
                    + expected + "); build splits with Split.of(name, ids)");
        }
    }

    /** A split with its hash computed. */
    public static Split of(String name, List<String> ids) {
        return new Split(name, ids, hash(ids));
    }

    /** Number of items. */
    public int size() {
        return ids.size();
    }

    /** True if this split holds {@code id}. */
    public boolean contains(String id) {
        return ids.contains(id);
    }

    /**
     * The problems of this split, in split order.
     *
     * @throws IllegalArgumentException if an id is not in {@code problems} (the split was drawn from other data)
     */
    public List<Problem> select(List<Problem> problems) {
        Map<String, Problem> byId = new HashMap<>();
        for (Problem p : problems) {
            byId.put(p.id(), p);
        }
        List<Problem> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            Problem p = byId.get(id);
            if (p == null) {
                throw new IllegalArgumentException("split '" + name + "' holds id '" + id + "', which is not among the "
                        + problems.size() + " problems given; pass the dataset the split was drawn from.");
            }
            out.add(p);
        }
        return List.copyOf(out);
    }

    /** SHA-256 hex of the ids joined by newlines. */
    public static String hash(List<String> ids) {
        return sha256Hex(String.join("\n", ids));
    }

    static String sha256Hex(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
