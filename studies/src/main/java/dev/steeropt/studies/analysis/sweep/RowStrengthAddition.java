package dev.steeropt.studies.analysis.sweep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.steeropt.core.hooks.Hook;
import dev.steeropt.core.hooks.HookContext;
import dev.steeropt.core.hooks.SteerPositions;

/**
 * {@code h ← h + α_row · v} at the selected positions, with each caller row's own strength: several cells of one
 * layer run as one batch (the items repeated once per strength). A row of strength 0 gets {@code h + 0·v}, h itself.
 */
final class RowStrengthAddition implements Hook {
    private final float[] direction;
    private final float[] strengthByRow;
    private final SteerPositions positions;

    RowStrengthAddition(float[] direction, float[] strengthByRow, SteerPositions positions) {
        this.direction = direction.clone();
        this.strengthByRow = strengthByRow.clone();
        this.positions = positions;
    }

    @Override
    public NDArray apply(NDArray h, HookContext ctx) {
        int batch = ctx.batchSize();
        int seq = ctx.seqLen();
        float[] scale = new float[batch * seq];
        boolean any = false;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seq; t++) {
                boolean on = positions == SteerPositions.ALL
                        || (!ctx.isPad(b, t) && positions.selects(ctx.positionId(b, t), ctx.promptLength(b)));
                if (on) {
                    scale[b * seq + t] = strengthByRow[ctx.row(b)];
                    any = true;
                }
            }
        }
        if (!any) {
            return h;
        }
        NDArray v = ctx.constant(this, m -> m.create(direction).toType(h.getDataType(), false));
        NDArray s = ctx.manager().create(scale, new Shape(batch, seq, 1)).toType(h.getDataType(), false);
        return h.add(s.mul(v));
    }
}
