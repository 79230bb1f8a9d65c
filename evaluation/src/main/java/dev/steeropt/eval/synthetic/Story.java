package dev.steeropt.eval.synthetic;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds one word problem: question sentences, one calculation line per operation in GSM8K's
 * {@code a*b=<<a*b=c>>c} style, and the final answer. Package-private; used by the templates.
 */
final class Story {
    /** Thrown when sampled numbers break a constraint; the generator then samples again. */
    static final class Reject extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Reject(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Largest intermediate or final value allowed, to keep numbers short. */
    static final long MAX_VALUE = 999;

    private final List<String> sentences = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    private long last;
    private int operations;

    /** Adds a question sentence. */
    void say(String sentence) {
        sentences.add(sentence);
    }

    /**
     * Adds one calculation line {@code "{before} a op b=<<a op b=r>>r {after}."} and returns r.
     *
     * @throws Reject if the result is not an integer, below 2, or above {@link #MAX_VALUE}
     */
    long calc(String before, long a, char op, long b, String after) {
        long r;
        switch (op) {
            case '+':
                r = a + b;
                break;
            case '-':
                r = a - b;
                break;
            case '*':
                r = a * b;
                break;
            case '/':
                if (b == 0 || a % b != 0) {
                    throw new Reject(a + "/" + b + " is not an integer");
                }
                r = a / b;
                break;
            default:
                throw new IllegalArgumentException("operator must be one of + - * /, got '" + op + "'");
        }
        if (r < 2 || r > MAX_VALUE) { // below 2 the plural nouns of the templates read wrong
            throw new Reject(a + " " + op + " " + b + " = " + r + " is out of range");
        }
        String expr = a + String.valueOf(op) + b;
        lines.add(before + " " + expr + "=<<" + expr + "=" + r + ">>" + r + (after.isEmpty() ? "" : " " + after)
                + ".");
        last = r;
        operations++;
        return r;
    }

    int operations() {
        return operations;
    }

    long answer() {
        return last;
    }

    String question() {
        return String.join(" ", sentences);
    }

    String solution() {
        return String.join("\n", lines) + "\n#### " + last;
    }
}
