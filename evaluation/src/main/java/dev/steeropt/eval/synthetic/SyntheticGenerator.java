package dev.steeropt.eval.synthetic;

import dev.steeropt.eval.datasets.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates grade-school word problems in GSM8K's exact format: a short question, and an answer with one calculation
 * per line annotated {@code a*b=<<a*b=c>>c}, ending in {@code #### N}.
 *
 * <p>Six templates (shopping, sharing, rates, ages, remainders, baking) with varied names, objects and numbers; the
 * difficulty (1–4) is the number of operations (+, −, ×, ÷, every result an integer from 2 to 999).
 * Vocabulary is small and plain ASCII and questions stay under 200 characters, so a character-level demo model can
 * learn them.
 *
 * <p>Deterministic: item {@code (split, index, attempt)} draws from a {@link SplittableRandom} seeded with the first
 * 8 bytes of {@code SHA-256(seed + ":" + split + ":" + index + ":" + attempt)}; the same inputs always give the same
 * problem, and no state is shared between calls (thread-safe). Ids are {@code synthetic-{split}-{index}}.
 */
public final class SyntheticGenerator {
    /** Lowest difficulty (one operation). */
    public static final int MIN_DIFFICULTY = 1;
    /** Highest difficulty (four operations). */
    public static final int MAX_DIFFICULTY = 4;

    private final long seed;

    /** A generator for {@code seed}. */
    public SyntheticGenerator(long seed) {
        this.seed = seed;
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /** Item {@code index} of {@code split}, with template and difficulty drawn from its own random stream. */
    public Problem generate(String split, int index) {
        return generate(split, index, 0, 0);
    }

    /** Item {@code index} of {@code split} at a fixed difficulty (1–4). */
    public Problem generate(String split, int index, int difficulty) {
        if (difficulty < MIN_DIFFICULTY || difficulty > MAX_DIFFICULTY) {
            throw new IllegalArgumentException("difficulty must be in [1, 4] (the number of operations), got "
                    + difficulty);
        }
        return generate(split, index, difficulty, 0);
    }

    /**
     * Item {@code index} of {@code split}; {@code attempt > 0} gives a different problem under the same id (used to
     * replace a duplicate question).
     *
     * @param difficulty 1–4, or 0 to draw it uniformly
     */
    public Problem generate(String split, int index, int difficulty, int attempt) {
        if (split == null || !split.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("split must be lower-case letters, digits or '_', got '" + split + "'");
        }
        if (index < 0 || attempt < 0) {
            throw new IllegalArgumentException("index and attempt must be >= 0, got " + index + ", " + attempt);
        }
        SplittableRandom r = new SplittableRandom(streamSeed(seed + ":" + split + ":" + index + ":" + attempt));
        int d = difficulty == 0 ? MIN_DIFFICULTY + r.nextInt(MAX_DIFFICULTY) : difficulty;
        Template template = Template.values()[r.nextInt(Template.values().length)];
        for (int tries = 0; tries < 10_000; tries++) {
            Story story = new Story();
            Cast cast = Cast.draw(r);
            try {
                template.tell(story, r, cast, d);
            } catch (Story.Reject rejected) {
                continue;
            }
            if (story.operations() != d) {
                throw new IllegalStateException("template " + template + " produced " + story.operations()
                        + " operations for difficulty " + d);
            }
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("dataset", "synthetic");
            meta.put("split", split);
            meta.put("template", template.label());
            meta.put("difficulty", Integer.toString(d));
            meta.put("seed", Long.toString(seed));
            if (attempt > 0) {
                meta.put("attempt", Integer.toString(attempt));
            }
            return new Problem("synthetic-" + split + "-" + index, story.question(), story.solution(),
                    Long.toString(story.answer()), meta);
        }
        throw new IllegalStateException("template " + template + " found no valid numbers for difficulty " + d
                + " in 10000 tries; widen its number ranges.");
    }

    private static long streamSeed(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
