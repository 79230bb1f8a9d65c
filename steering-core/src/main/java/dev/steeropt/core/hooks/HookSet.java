package dev.steeropt.core.hooks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable set of hooks by hook point, applied in insertion order at each point. Passed per request so that
 * concurrent calls on one model never see each other's hooks.
 */
public final class HookSet {
    private static final HookSet EMPTY = new HookSet(Map.of());

    private final Map<HookPoint, List<Hook>> hooks;

    private HookSet(Map<HookPoint, List<Hook>> hooks) {
        this.hooks = hooks;
    }

    /** No hooks: the plain forward. */
    public static HookSet empty() {
        return EMPTY;
    }

    /** One hook at one point. */
    public static HookSet of(HookPoint point, Hook hook) {
        return EMPTY.with(point, hook);
    }

    /** A copy with one more hook at the given point (after any existing ones). */
    public HookSet with(HookPoint point, Hook hook) {
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(hook, "hook");
        Map<HookPoint, List<Hook>> copy = new LinkedHashMap<>(hooks);
        List<Hook> list = new ArrayList<>(copy.getOrDefault(point, List.of()));
        list.add(hook);
        copy.put(point, List.copyOf(list));
        return new HookSet(Collections.unmodifiableMap(copy));
    }

    /** A copy holding this set's hooks followed by the other's. */
    public HookSet with(HookSet other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        HookSet out = this;
        for (Map.Entry<HookPoint, List<Hook>> e : other.hooks.entrySet()) {
            for (Hook h : e.getValue()) {
                out = out.with(e.getKey(), h);
            }
        }
        return out;
    }

    /** A copy without the given hook instance (wherever it is set). */
    public HookSet without(Hook hook) {
        Map<HookPoint, List<Hook>> copy = new LinkedHashMap<>();
        for (Map.Entry<HookPoint, List<Hook>> e : hooks.entrySet()) {
            List<Hook> kept = new ArrayList<>();
            for (Hook h : e.getValue()) {
                if (h != hook) {
                    kept.add(h);
                }
            }
            if (!kept.isEmpty()) {
                copy.put(e.getKey(), List.copyOf(kept));
            }
        }
        return copy.isEmpty() ? EMPTY : new HookSet(Collections.unmodifiableMap(copy));
    }

    /** True if no hook is set. */
    public boolean isEmpty() {
        return hooks.isEmpty();
    }

    /** The hooks at a point, in order (empty if none). */
    public List<Hook> at(HookPoint point) {
        return hooks.getOrDefault(point, List.of());
    }

    /** Points that carry at least one hook. */
    public java.util.Set<HookPoint> points() {
        return hooks.keySet();
    }

    @Override
    public String toString() {
        return "HookSet" + hooks.keySet();
    }
}
