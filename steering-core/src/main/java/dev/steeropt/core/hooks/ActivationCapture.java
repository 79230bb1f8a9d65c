package dev.steeropt.core.hooks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Run-with-cache: copies activations at chosen hook points and positions out to {@code float[]} during prefill and
 * every decode step. Pass {@link #hooks()} with a request; read {@link #get(HookPoint)} afterwards.
 *
 * <p>Nothing native is kept: each vector is copied when its hook fires. Not reusable across concurrent calls.
 */
public final class ActivationCapture {

    /** Which tokens to copy. */
    public enum Select {
        /** Every real (non-pad) token. */
        ALL,
        /** Prompt tokens only. */
        PROMPT,
        /** Generated tokens only. */
        GENERATED,
        /** The last prompt token of each row (position id = prompt length − 1). */
        LAST_PROMPT_TOKEN
    }

    /**
     * One captured vector.
     *
     * @param point      where it was read
     * @param row        the caller's row index
     * @param positionId its index in the unpadded sequence
     * @param generated  true for a generated token
     * @param values     d_model floats
     */
    public record Captured(HookPoint point, int row, int positionId, boolean generated, float[] values) {
        public Captured {
            Objects.requireNonNull(point);
            Objects.requireNonNull(values);
        }
    }

    private final Select select;
    private final Map<HookPoint, List<Captured>> captured = new LinkedHashMap<>();
    private final HookSet hooks;

    private ActivationCapture(Select select, List<HookPoint> points) {
        this.select = Objects.requireNonNull(select);
        if (points.isEmpty()) {
            throw new IllegalArgumentException("capture needs at least one hook point");
        }
        HookSet hs = HookSet.empty();
        for (HookPoint p : points) {
            captured.put(p, new ArrayList<>());
            hs = hs.with(p, this::copy);
        }
        this.hooks = hs;
    }

    /** A capture of the given points at the selected positions. */
    public static ActivationCapture of(Select select, HookPoint... points) {
        return new ActivationCapture(select, List.of(points));
    }

    /** A capture of the given points at the selected positions. */
    public static ActivationCapture of(Select select, List<HookPoint> points) {
        return new ActivationCapture(select, List.copyOf(points));
    }

    /** The hooks that perform the capture. */
    public HookSet hooks() {
        return hooks;
    }

    /**
     * The vectors captured at a point, in firing order (prefill first, then each decode step; rows in batch order).
     *
     * @throws IllegalStateException if the point was not requested, or its hook never fired
     */
    public synchronized List<Captured> get(HookPoint point) {
        List<Captured> list = captured.get(point);
        if (list == null) {
            throw new IllegalArgumentException(point + " was not requested (captured: " + captured.keySet() + ")");
        }
        if (list.isEmpty()) {
            throw new IllegalStateException("nothing was captured at " + point + ": the hook never fired on a selected position");
        }
        return Collections.unmodifiableList(new ArrayList<>(list));
    }

    /** The vector of one row at one position id, or throws if it was not captured. */
    public synchronized float[] get(HookPoint point, int row, int positionId) {
        for (Captured c : get(point)) {
            if (c.row() == row && c.positionId() == positionId) {
                return c.values().clone();
            }
        }
        throw new IllegalStateException("no activation at " + point + " for row " + row + ", position " + positionId);
    }

    private NDArray copy(NDArray h, HookContext ctx) {
        int batch = ctx.batchSize();
        int seq = ctx.seqLen();
        int d = (int) h.getShape().get(2);
        float[] all = null;
        List<Captured> out = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seq; t++) {
                if (ctx.isPad(b, t)) {
                    continue;
                }
                int pos = ctx.positionId(b, t);
                boolean gen = pos >= ctx.promptLength(b);
                boolean keep = switch (select) {
                    case ALL -> true;
                    case PROMPT -> !gen;
                    case GENERATED -> gen;
                    case LAST_PROMPT_TOKEN -> pos == ctx.promptLength(b) - 1;
                };
                if (!keep) {
                    continue;
                }
                if (all == null) {
                    all = h.getDataType() == DataType.FLOAT32 ? h.toFloatArray() : h.toType(DataType.FLOAT32, false).toFloatArray();
                }
                float[] v = new float[d];
                System.arraycopy(all, (b * seq + t) * d, v, 0, d);
                out.add(new Captured(ctx.point(), ctx.row(b), pos, gen, v));
            }
        }
        synchronized (this) {
            captured.get(ctx.point()).addAll(out);
        }
        return h;
    }
}
