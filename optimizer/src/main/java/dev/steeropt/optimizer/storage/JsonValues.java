package dev.steeropt.optimizer.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpers for the JSON-compatible attribute values a {@link TrialStore} accepts: {@code null}, {@link Boolean},
 * {@link Number}, {@link String}, {@link List} and {@link Map} with string keys, nested freely.
 */
public final class JsonValues {
    private JsonValues() {}

    /**
     * An immutable deep copy of a JSON-compatible value; throws {@link IllegalArgumentException} naming the offending
     * type otherwise (convert it to a string or number first).
     */
    public static Object deepCopy(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Number || value instanceof String) {
            return value;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(deepCopy(o));
            }
            return Collections.unmodifiableList(out);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw new IllegalArgumentException("attribute maps need string keys (JSON objects), got key "
                            + e.getKey());
                }
                out.put(k, deepCopy(e.getValue()));
            }
            return Collections.unmodifiableMap(out);
        }
        throw new IllegalArgumentException("attribute values must be JSON-compatible (null, Boolean, Number, String, "
                + "List, Map), got " + value.getClass().getName() + "; convert it to one of these first");
    }

    /**
     * Whether two JSON-compatible values are equal as JSON: numbers compare by value (so {@code 1}, {@code 1L} and
     * {@code 1.0} are equal), lists element-wise, maps key-wise.
     */
    public static boolean jsonEquals(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!jsonEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!jsonEquals(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a == null ? b == null : a.equals(b);
    }
}
