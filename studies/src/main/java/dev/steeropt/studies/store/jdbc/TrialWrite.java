package dev.steeropt.studies.store.jdbc;

/**
 * The writes to one trial's rows. Each has two forms, both taking the trial id as their last parameter:
 * {@link #plain}, run once the trial is known to be unfinished (PostgreSQL locks the trial row first, and a trial being
 * created is unfinished), and {@link #guarded}, which checks in the same statement that the trial exists and is
 * RUNNING or WAITING and changes no row otherwise (SQLite, under {@code BEGIN IMMEDIATE}; see
 * {@link Dialect#writeUnfinished}).
 */
enum TrialWrite {
    /** Parameters: param name, internal value, distribution JSON, trial id. */
    PARAM("INSERT INTO trial_params (param_name, param_value, distribution_json, trial_id) VALUES (?, ?, ?, ?)",
            "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json)"
                    + " SELECT trial_id, ?, ?, ?" + Const.UNFINISHED,
            " ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value = excluded.param_value,"
                    + " distribution_json = excluded.distribution_json"),
    /** Parameters: objective, value (null if infinite), value type, trial id. */
    VALUE("INSERT INTO trial_values (objective, value, value_type, trial_id) VALUES (?, ?, ?, ?)",
            "INSERT INTO trial_values (trial_id, objective, value, value_type) SELECT trial_id, ?, ?, ?"
                    + Const.UNFINISHED,
            " ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type"),
    /** Parameters: step, value (null unless finite), value type, trial id. */
    INTERMEDIATE("INSERT INTO trial_intermediate_values (step, intermediate_value, intermediate_value_type, trial_id)"
            + " VALUES (?, ?, ?, ?)",
            "INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type)"
                    + " SELECT trial_id, ?, ?, ?" + Const.UNFINISHED,
            " ON CONFLICT (trial_id, step) DO UPDATE SET intermediate_value = excluded.intermediate_value,"
                    + " intermediate_value_type = excluded.intermediate_value_type"),
    /** Parameters: key, value JSON, trial id. */
    USER_ATTR("INSERT INTO trial_user_attributes (\"key\", value_json, trial_id) VALUES (?, ?, ?)",
            "INSERT INTO trial_user_attributes (trial_id, \"key\", value_json) SELECT trial_id, ?, ?"
                    + Const.UNFINISHED,
            " ON CONFLICT (trial_id, \"key\") DO UPDATE SET value_json = excluded.value_json"),
    /** Parameters: key, value JSON, trial id. */
    SYSTEM_ATTR("INSERT INTO trial_system_attributes (\"key\", value_json, trial_id) VALUES (?, ?, ?)",
            "INSERT INTO trial_system_attributes (trial_id, \"key\", value_json) SELECT trial_id, ?, ?"
                    + Const.UNFINISHED,
            " ON CONFLICT (trial_id, \"key\") DO UPDATE SET value_json = excluded.value_json"),
    /** Parameters: finished state, datetime_complete, trial id. */
    FINISH("UPDATE trials SET state = ?, datetime_complete = ? WHERE trial_id = ?", null, ""),
    /** Parameters: state, trial id. */
    SET_STATE("UPDATE trials SET state = ? WHERE trial_id = ?", null, "");

    /** The statement without a state check. */
    final String plain;
    /** The statement that changes nothing unless the trial is RUNNING or WAITING. */
    final String guarded;

    TrialWrite(String plain, String guardedInsert, String onConflict) {
        this.plain = plain + onConflict;
        this.guarded = guardedInsert != null ? guardedInsert + onConflict
                : plain + " AND state IN ('RUNNING', 'WAITING')";
    }

    private static final class Const {
        static final String UNFINISHED = " FROM trials WHERE trial_id = ? AND state IN ('RUNNING', 'WAITING')";
    }

    /** Arguments of {@link #VALUE}: an infinity is stored as NULL with its sign in the type, as Optuna does. */
    static Object[] valueArgs(int objective, double v, long trialId) {
        return new Object[] {objective, Double.isInfinite(v) ? null : v,
            Double.isInfinite(v) ? (v > 0 ? "INF_POS" : "INF_NEG") : "FINITE", trialId};
    }

    /** Arguments of {@link #INTERMEDIATE}: only finite values are stored as numbers; NaN is allowed here. */
    static Object[] intermediateArgs(int step, double v, long trialId) {
        String type = Double.isNaN(v) ? "NAN" : Double.isInfinite(v) ? (v > 0 ? "INF_POS" : "INF_NEG") : "FINITE";
        return new Object[] {step, Double.isFinite(v) ? v : null, type, trialId};
    }
}
