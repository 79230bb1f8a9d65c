package dev.steeropt.studies.cli;

import dev.steeropt.optimizer.trial.FrozenTrial;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Trials and times as the CLI prints them (Optuna's field names; datetimes in UTC). */
final class TrialRecords {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private TrialRecords() {}

    /**
     * One trial: number, state, values, params (sorted by name, as Optuna's CLI), intermediate_values (step →
     * value), user_attrs, datetime_start, datetime_complete (UTC, to the second) and duration
     * ({@code H:MM:SS.ffffff}).
     */
    static Map<String, Object> of(FrozenTrial t) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("number", t.number());
        r.put("state", t.state().name());
        r.put("values", t.values());
        r.put("params", new TreeMap<>(t.params()));
        Map<String, Object> iv = new LinkedHashMap<>();
        t.intermediateValues().forEach((step, v) -> iv.put(Integer.toString(step), v));
        r.put("intermediate_values", iv);
        r.put("user_attrs", t.userAttrs());
        r.put("datetime_start", time(t.datetimeStart()));
        r.put("datetime_complete", time(t.datetimeComplete()));
        r.put("duration", t.datetimeStart() == null || t.datetimeComplete() == null ? null
                : duration(Duration.between(t.datetimeStart(), t.datetimeComplete())));
        return r;
    }

    /** {@code yyyy-MM-dd HH:mm:ss} in UTC, or null. */
    static String time(Instant t) {
        return t == null ? null : TIME.format(t);
    }

    /** Python's {@code str(timedelta)}: {@code 0:00:04.774047}, without the fraction when it is zero. */
    static String duration(Duration d) {
        long micros = d.toNanos() / 1000;
        boolean negative = micros < 0;
        micros = Math.abs(micros);
        long seconds = micros / 1_000_000;
        long frac = micros % 1_000_000;
        String s = String.format("%d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
        if (frac != 0) {
            s += String.format(".%06d", frac);
        }
        return negative ? "-" + s : s;
    }
}
