package dev.steeropt.eval.synthetic;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The person a problem is about, a friend, and the small fixed vocabularies the templates draw from. Kept small and
 * plain ASCII on purpose: a character-level demo model is trained on these problems.
 */
record Cast(String name, boolean she, String friend) {
    static final List<String> BOYS = List.of("Tom", "Sam", "Ben", "Max", "Leo");
    static final List<String> GIRLS = List.of("Ann", "Mia", "Zoe", "Eva", "Amy");
    static final List<String> OBJECTS = List.of("apples", "pens", "books", "cards", "marbles", "stickers", "shells");
    static final List<String> ITEMS = List.of("pen", "book", "toy", "cup", "ball", "hat", "kite");

    static Cast draw(SplittableRandom r) {
        boolean she = r.nextBoolean();
        String name = pick(r, she ? GIRLS : BOYS);
        String friend;
        do {
            friend = pick(r, r.nextBoolean() ? GIRLS : BOYS);
        } while (friend.equals(name));
        return new Cast(name, she, friend);
    }

    static <T> T pick(SplittableRandom r, List<T> options) {
        return options.get(r.nextInt(options.size()));
    }

    /** "He" or "She". */
    String subject() {
        return she ? "She" : "He";
    }

    /** "he" or "she". */
    String subjectLower() {
        return she ? "she" : "he";
    }

    /** "him" or "her". */
    String object() {
        return she ? "her" : "him";
    }

    /** "his" or "her". */
    String possessive() {
        return she ? "her" : "his";
    }

    /** "His" or "Her". */
    String possessiveUpper() {
        return she ? "Her" : "His";
    }
}
