package dev.steeropt.studies.service;

import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The query string of {@code GET /api/studies/{study_id}/trials}: which trials ({@code after}, {@code state},
 * {@code value_min}, {@code value_max}), in what order ({@code sort}, {@code order}), which page ({@code offset},
 * {@code limit}). Missing values sort last in either order.
 *
 * @param after     only trials numbered above this (-1 = all)
 * @param states    only trials in these states (all when empty)
 * @param valueMin  only trials whose first objective is at least this (null = no bound)
 * @param valueMax  only trials whose first objective is at most this
 * @param sort      the column, or null when {@code sortParam} is set
 * @param sortParam sort by this parameter's value (numbers numerically, choices as text)
 * @param descending the order
 */
public record TrialQuery(int after, Set<TrialState> states, Double valueMin, Double valueMax, TrialSort sort,
        String sortParam, boolean descending, int offset, int limit) {
    /** Default page size. */
    public static final int DEFAULT_LIMIT = 50;
    /** Largest page. */
    public static final int MAX_LIMIT = 100_000;

    /** Parses the query; a bad value is 400 naming what is accepted. */
    static TrialQuery parse(Request r) {
        int after = r.queryInt("after", -1, -1, Integer.MAX_VALUE);
        Set<TrialState> states = EnumSet.noneOf(TrialState.class);
        String s = r.query("state");
        if (s != null) {
            for (String part : s.split(",")) {
                try {
                    states.add(TrialState.valueOf(part.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("state '" + part + "' is not a trial state; use "
                            + Arrays.stream(TrialState.values()).map(Enum::name).collect(Collectors.joining(", ")));
                }
            }
        }
        String sortText = r.query("sort");
        TrialSort sort = TrialSort.NUMBER;
        String sortParam = null;
        if (sortText != null && sortText.startsWith("param:")) {
            sort = null;
            sortParam = sortText.substring("param:".length());
        } else if (sortText != null) {
            sort = Arrays.stream(TrialSort.values()).filter(t -> t.wireName().equals(sortText)).findFirst()
                    .orElseThrow(() -> ApiException.badRequest("sort '" + sortText + "' is not a column; use "
                            + Arrays.stream(TrialSort.values()).map(TrialSort::wireName)
                                    .collect(Collectors.joining(", ")) + " or param:NAME"));
        }
        String order = r.query("order");
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw ApiException.badRequest("order must be asc or desc, got '" + order + "'");
        }
        return new TrialQuery(after, states, r.queryDouble("value_min"), r.queryDouble("value_max"), sort, sortParam,
                "desc".equals(order), r.queryInt("offset", 0, 0, Integer.MAX_VALUE),
                r.queryInt("limit", DEFAULT_LIMIT, 1, MAX_LIMIT));
    }

    /** The matching trials of {@code all} (in number order), sorted. */
    List<FrozenTrial> apply(List<FrozenTrial> all, List<StudyDirection> dirs) {
        List<FrozenTrial> out = new ArrayList<>();
        int start = Math.min(all.size(), Math.max(0, after + 1));
        for (FrozenTrial t : all.subList(start, all.size())) {
            if (!states.isEmpty() && !states.contains(t.state())) {
                continue;
            }
            if (valueMin != null || valueMax != null) {
                Double v = firstValue(t);
                if (v == null || (valueMin != null && v < valueMin) || (valueMax != null && v > valueMax)) {
                    continue;
                }
            }
            out.add(t);
        }
        if (sort == TrialSort.NUMBER && !descending) {
            return out;
        }
        out.sort(comparator());
        return out;
    }

    private Comparator<FrozenTrial> comparator() {
        if (sortParam != null) {
            return nullsLast(t -> {
                Object v = t.params().get(sortParam);
                return v == null ? null : v instanceof Number n ? (Comparable) n.doubleValue() : (Comparable) v.toString();
            });
        }
        switch (sort) {
            case STATE:
                return nullsLast(t -> t.state().name());
            case VALUE:
                return nullsLast(TrialQuery::firstValue);
            case DURATION:
                return nullsLast(TrialView::duration);
            case DATETIME_START:
                return nullsLast(FrozenTrial::datetimeStart);
            case NUMBER:
            default:
                return nullsLast(FrozenTrial::number);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Comparator<FrozenTrial> nullsLast(Function<FrozenTrial, ? extends Comparable> key) {
        Comparator<Comparable> natural = descending ? Comparator.<Comparable>reverseOrder()
                : Comparator.<Comparable>naturalOrder();
        Comparator<FrozenTrial> c = Comparator.comparing(key, Comparator.nullsLast((a, b) -> {
            if (a.getClass() != b.getClass()) {
                return a.getClass().getName().compareTo(b.getClass().getName());
            }
            return natural.compare(a, b);
        }));
        return c.thenComparingInt(FrozenTrial::number);
    }

    private static Double firstValue(FrozenTrial t) {
        return t.values() == null || t.values().isEmpty() || Double.isNaN(t.values().get(0)) ? null : t.values().get(0);
    }
}
