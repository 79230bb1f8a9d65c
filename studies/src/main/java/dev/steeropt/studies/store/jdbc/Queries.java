package dev.steeropt.studies.store.jdbc;

import java.util.List;

/**
 * Every SQL statement the JDBC store runs, one instance per dialect. Table and column names are Optuna's
 * ({@code optuna/storages/_rdb/models.py}, alembic head {@value #ALEMBIC_HEAD}).
 */
public final class Queries {

    /** The alembic revision this store reads and writes (Optuna 3.2 up to 5.0). */
    public static final String ALEMBIC_HEAD = "v3.2.0.a";
    /** {@code version_info.schema_version} written by Optuna for {@value #ALEMBIC_HEAD}. */
    public static final int SCHEMA_VERSION = 12;

    /** Optuna's tables, in creation order. */
    public static final List<String> TABLES = List.of("studies", "version_info", "study_directions",
            "study_user_attributes", "study_system_attributes", "trials", "trial_user_attributes",
            "trial_system_attributes", "trial_params", "trial_values", "trial_intermediate_values",
            "trial_heartbeats", "alembic_version");

    // ---- schema ----
    final List<String> createSchema;
    final String listTables;
    final String selectAlembic = "SELECT version_num FROM alembic_version";
    final String insertAlembic = "INSERT INTO alembic_version (version_num) VALUES (?)";
    final String insertVersionInfo =
            "INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, ?, ?)";

    // ---- studies ----
    final String insertStudy = "INSERT INTO studies (study_name) VALUES (?) RETURNING study_id";
    final String insertDirection = "INSERT INTO study_directions (direction, study_id, objective) VALUES (?, ?, ?)";
    final String selectStudyIdByName = "SELECT study_id FROM studies WHERE study_name = ?";
    final String selectStudyName = "SELECT study_name FROM studies WHERE study_id = ?";
    final String selectDirections = "SELECT direction FROM study_directions WHERE study_id = ? ORDER BY objective";
    final String selectStudyUserAttrs = "SELECT \"key\", value_json FROM study_user_attributes WHERE study_id = ?"
            + " ORDER BY study_user_attribute_id";
    final String selectStudySystemAttrs = "SELECT \"key\", value_json FROM study_system_attributes"
            + " WHERE study_id = ? ORDER BY study_system_attribute_id";
    final String upsertStudyUserAttr = "INSERT INTO study_user_attributes (study_id, \"key\", value_json)"
            + " VALUES (?, ?, ?) ON CONFLICT (study_id, \"key\") DO UPDATE SET value_json = excluded.value_json";
    final String upsertStudySystemAttr = "INSERT INTO study_system_attributes (study_id, \"key\", value_json)"
            + " VALUES (?, ?, ?) ON CONFLICT (study_id, \"key\") DO UPDATE SET value_json = excluded.value_json";
    final String selectAllStudies = "SELECT study_id, study_name FROM studies ORDER BY study_id";
    final String selectAllDirections =
            "SELECT study_id, direction FROM study_directions ORDER BY study_id, objective";
    final String selectAllStudyUserAttrs = "SELECT study_id, \"key\", value_json FROM study_user_attributes"
            + " ORDER BY study_user_attribute_id";
    final String selectTrialCounts =
            "SELECT study_id, COUNT(*), MIN(datetime_start) FROM trials GROUP BY study_id";
    final List<String> deleteStudy = List.of(
            "DELETE FROM trial_heartbeats WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?)",
            "DELETE FROM trial_intermediate_values WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?)",
            "DELETE FROM trial_values WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?)",
            "DELETE FROM trial_params WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?)",
            "DELETE FROM trial_system_attributes WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?)",
            "DELETE FROM trial_user_attributes WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?)",
            "DELETE FROM trials WHERE study_id = ?",
            "DELETE FROM study_system_attributes WHERE study_id = ?",
            "DELETE FROM study_user_attributes WHERE study_id = ?",
            "DELETE FROM study_directions WHERE study_id = ?",
            "DELETE FROM studies WHERE study_id = ?");

    // ---- trials: writes ----
    /** Locks the study row so that trial numbers are computed by one transaction at a time. */
    final String lockStudy;
    final String countTrials = "SELECT COUNT(*) FROM trials WHERE study_id = ?";
    final String insertTrial = "INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete)"
            + " VALUES (?, ?, ?, ?, ?) RETURNING trial_id";
    /** Reads (and on PostgreSQL locks) a trial row before changing it. */
    final String lockTrial;
    final String startWaitingTrial =
            "UPDATE trials SET state = 'RUNNING', datetime_start = ? WHERE trial_id = ? AND state = 'WAITING'";
    final String selectFirstDistribution = "SELECT p.distribution_json FROM trial_params p"
            + " JOIN trials t ON p.trial_id = t.trial_id WHERE t.study_id = ? AND p.param_name = ?"
            + " ORDER BY p.param_id LIMIT 1";

    // ---- trials: reads (the cache loads every trial of a study with trial_id > a watermark) ----
    final String selectTrialIdByNumber = "SELECT trial_id FROM trials WHERE study_id = ? AND number = ?";
    final String selectStudyOfTrial = "SELECT study_id FROM trials WHERE trial_id = ?";
    final String selectTrialsAfter = "SELECT trial_id, number, state, datetime_start, datetime_complete"
            + " FROM trials WHERE study_id = ? AND trial_id > ? ORDER BY trial_id";
    final String selectParamsAfter = "SELECT p.trial_id, p.param_name, p.param_value, p.distribution_json"
            + " FROM trial_params p JOIN trials t ON p.trial_id = t.trial_id"
            + " WHERE t.study_id = ? AND t.trial_id > ? ORDER BY p.param_id";
    final String selectValuesAfter = "SELECT v.trial_id, v.objective, v.value, v.value_type"
            + " FROM trial_values v JOIN trials t ON v.trial_id = t.trial_id"
            + " WHERE t.study_id = ? AND t.trial_id > ? ORDER BY v.trial_id, v.objective";
    final String selectIntermediateAfter = "SELECT i.trial_id, i.step, i.intermediate_value,"
            + " i.intermediate_value_type FROM trial_intermediate_values i JOIN trials t ON i.trial_id = t.trial_id"
            + " WHERE t.study_id = ? AND t.trial_id > ?";
    final String selectTrialUserAttrsAfter = "SELECT a.trial_id, a.\"key\", a.value_json"
            + " FROM trial_user_attributes a JOIN trials t ON a.trial_id = t.trial_id"
            + " WHERE t.study_id = ? AND t.trial_id > ? ORDER BY a.trial_user_attribute_id";
    final String selectTrialSystemAttrsAfter = "SELECT a.trial_id, a.\"key\", a.value_json"
            + " FROM trial_system_attributes a JOIN trials t ON a.trial_id = t.trial_id"
            + " WHERE t.study_id = ? AND t.trial_id > ? ORDER BY a.trial_system_attribute_id";

    // ---- trial quotas (see TrialQuota: a slot is held by a COMPLETE, PRUNED or RUNNING trial; never by FAIL) ----
    private static final String HOLDS_SLOT = " t.study_id = ? AND t.state IN ('COMPLETE', 'PRUNED', 'RUNNING')";
    /** Parameters: study id. */
    final String countStudySlots = "SELECT COUNT(*) FROM trials t WHERE" + HOLDS_SLOT;
    /** Parameters: run attribute key, run id as JSON, study id. */
    final String countRunSlots = "SELECT COUNT(*) FROM trials t JOIN trial_system_attributes r"
            + " ON r.trial_id = t.trial_id AND r.\"key\" = ? WHERE r.value_json = ? AND" + HOLDS_SLOT;
    /** Parameters: study id, key. */
    final String selectStudySystemAttr =
            "SELECT value_json FROM study_system_attributes WHERE study_id = ? AND \"key\" = ?";

    // ---- heartbeats ----
    /** The database's current UTC time (heartbeats are judged by the database clock, never a worker's). */
    final String selectNow;
    final String upsertHeartbeat = "INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (?, ?)"
            + " ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat";
    final String selectRunningHeartbeats = "SELECT t.trial_id, h.heartbeat FROM trials t"
            + " JOIN trial_heartbeats h ON h.trial_id = t.trial_id WHERE t.study_id = ? AND t.state = 'RUNNING'"
            + " ORDER BY t.trial_id";
    /** RUNNING trials of a study with the process recorded in the given system attribute. */
    final String selectRunningOwners = "SELECT t.trial_id, a.value_json FROM trials t"
            + " JOIN trial_system_attributes a ON a.trial_id = t.trial_id"
            + " WHERE t.study_id = ? AND t.state = 'RUNNING' AND a.\"key\" = ? ORDER BY t.trial_id";
    final String failIfRunning =
            "UPDATE trials SET state = 'FAIL', datetime_complete = ? WHERE trial_id = ? AND state = 'RUNNING'";

    private Queries(List<String> createSchema, String listTables, String lockStudy, String lockTrial,
            String selectNow) {
        this.createSchema = List.copyOf(createSchema);
        this.listTables = listTables;
        this.lockStudy = lockStudy;
        this.lockTrial = lockTrial;
        this.selectNow = selectNow;
    }

    /**
     * SQLite. The DDL is byte for byte what SQLAlchemy emits for Optuna's models, so {@code sqlite_master} of a new
     * database equals that of one Optuna created. Locking is done by {@code BEGIN IMMEDIATE}, so the lock queries
     * are plain reads.
     */
    static Queries sqlite() {
        return new Queries(List.of(
                "CREATE TABLE studies (\n\tstudy_id INTEGER NOT NULL, \n\tstudy_name VARCHAR(512) NOT NULL, \n\t"
                        + "PRIMARY KEY (study_id)\n)",
                "CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)",
                "CREATE TABLE version_info (\n\tversion_info_id INTEGER NOT NULL, \n\tschema_version INTEGER, \n\t"
                        + "library_version VARCHAR(256), \n\tPRIMARY KEY (version_info_id), \n\t"
                        + "CHECK (version_info_id=1)\n)",
                "CREATE TABLE study_directions (\n\tstudy_direction_id INTEGER NOT NULL, \n\tdirection VARCHAR(8) "
                        + "NOT NULL, \n\tstudy_id INTEGER NOT NULL, \n\tobjective INTEGER NOT NULL, \n\t"
                        + "PRIMARY KEY (study_direction_id), \n\tUNIQUE (study_id, objective), \n\t"
                        + "FOREIGN KEY(study_id) REFERENCES studies (study_id)\n)",
                attributes("study_user_attributes", "study_user_attribute_id", "study_id", "studies"),
                attributes("study_system_attributes", "study_system_attribute_id", "study_id", "studies"),
                "CREATE TABLE trials (\n\ttrial_id INTEGER NOT NULL, \n\tnumber INTEGER, \n\tstudy_id INTEGER, \n\t"
                        + "state VARCHAR(8) NOT NULL, \n\tdatetime_start DATETIME, \n\tdatetime_complete DATETIME, "
                        + "\n\tPRIMARY KEY (trial_id), \n\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n)",
                "CREATE INDEX ix_trials_study_id ON trials (study_id)",
                attributes("trial_user_attributes", "trial_user_attribute_id", "trial_id", "trials"),
                attributes("trial_system_attributes", "trial_system_attribute_id", "trial_id", "trials"),
                "CREATE TABLE trial_params (\n\tparam_id INTEGER NOT NULL, \n\ttrial_id INTEGER, \n\t"
                        + "param_name VARCHAR(512), \n\tparam_value FLOAT, \n\tdistribution_json TEXT, \n\t"
                        + "PRIMARY KEY (param_id), \n\tUNIQUE (trial_id, param_name), \n\t"
                        + "FOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n)",
                "CREATE TABLE trial_values (\n\ttrial_value_id INTEGER NOT NULL, \n\ttrial_id INTEGER NOT NULL, "
                        + "\n\tobjective INTEGER NOT NULL, \n\tvalue FLOAT, \n\tvalue_type VARCHAR(7) NOT NULL, "
                        + "\n\tPRIMARY KEY (trial_value_id), \n\tUNIQUE (trial_id, objective), \n\t"
                        + "FOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n)",
                "CREATE TABLE trial_intermediate_values (\n\ttrial_intermediate_value_id INTEGER NOT NULL, \n\t"
                        + "trial_id INTEGER NOT NULL, \n\tstep INTEGER NOT NULL, \n\tintermediate_value FLOAT, "
                        + "\n\tintermediate_value_type VARCHAR(7) NOT NULL, \n\t"
                        + "PRIMARY KEY (trial_intermediate_value_id), \n\tUNIQUE (trial_id, step), \n\t"
                        + "FOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n)",
                "CREATE TABLE trial_heartbeats (\n\ttrial_heartbeat_id INTEGER NOT NULL, \n\ttrial_id INTEGER NOT "
                        + "NULL, \n\theartbeat DATETIME NOT NULL, \n\tPRIMARY KEY (trial_heartbeat_id), \n\t"
                        + "UNIQUE (trial_id), \n\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n)",
                "CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n\t"
                        + "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)"),
                "SELECT name FROM sqlite_master WHERE type = 'table'",
                "SELECT study_id FROM studies WHERE study_id = ?",
                "SELECT study_id, number, state FROM trials WHERE trial_id = ?",
                "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')");
    }

    private static String attributes(String table, String id, String owner, String ownerTable) {
        return "CREATE TABLE " + table + " (\n\t" + id + " INTEGER NOT NULL, \n\t" + owner + " INTEGER, \n\t"
                + "\"key\" VARCHAR(512), \n\tvalue_json TEXT, \n\tPRIMARY KEY (" + id + "), \n\t"
                + "UNIQUE (" + owner + ", \"key\"), \n\tFOREIGN KEY(" + owner + ") REFERENCES " + ownerTable
                + " (" + owner + ")\n)";
    }

    /**
     * PostgreSQL, as SQLAlchemy creates Optuna's models there: SERIAL keys, native enum types named after the
     * Python enum classes, {@code FLOAT(53)} (double precision) and {@code TIMESTAMP WITHOUT TIME ZONE}.
     */
    static Queries postgres() {
        return new Queries(List.of(
                "CREATE TYPE studydirection AS ENUM ('NOT_SET', 'MINIMIZE', 'MAXIMIZE')",
                "CREATE TYPE trialstate AS ENUM ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING')",
                "CREATE TYPE trialvaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG')",
                "CREATE TYPE trialintermediatevaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG', 'NAN')",
                "CREATE TABLE studies (study_id SERIAL NOT NULL, study_name VARCHAR(512) NOT NULL,"
                        + " PRIMARY KEY (study_id))",
                "CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)",
                "CREATE TABLE version_info (version_info_id INTEGER NOT NULL, schema_version INTEGER,"
                        + " library_version VARCHAR(256), PRIMARY KEY (version_info_id), CHECK (version_info_id=1))",
                "CREATE TABLE study_directions (study_direction_id SERIAL NOT NULL, direction studydirection NOT NULL,"
                        + " study_id INTEGER NOT NULL, objective INTEGER NOT NULL, PRIMARY KEY (study_direction_id),"
                        + " UNIQUE (study_id, objective), FOREIGN KEY(study_id) REFERENCES studies (study_id))",
                pgAttributes("study_user_attributes", "study_user_attribute_id", "study_id", "studies"),
                pgAttributes("study_system_attributes", "study_system_attribute_id", "study_id", "studies"),
                "CREATE TABLE trials (trial_id SERIAL NOT NULL, number INTEGER, study_id INTEGER,"
                        + " state trialstate NOT NULL, datetime_start TIMESTAMP WITHOUT TIME ZONE,"
                        + " datetime_complete TIMESTAMP WITHOUT TIME ZONE, PRIMARY KEY (trial_id),"
                        + " FOREIGN KEY(study_id) REFERENCES studies (study_id))",
                "CREATE INDEX ix_trials_study_id ON trials (study_id)",
                pgAttributes("trial_user_attributes", "trial_user_attribute_id", "trial_id", "trials"),
                pgAttributes("trial_system_attributes", "trial_system_attribute_id", "trial_id", "trials"),
                "CREATE TABLE trial_params (param_id SERIAL NOT NULL, trial_id INTEGER, param_name VARCHAR(512),"
                        + " param_value FLOAT(53), distribution_json TEXT, PRIMARY KEY (param_id),"
                        + " UNIQUE (trial_id, param_name), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
                "CREATE TABLE trial_values (trial_value_id SERIAL NOT NULL, trial_id INTEGER NOT NULL,"
                        + " objective INTEGER NOT NULL, value FLOAT(53), value_type trialvaluetype NOT NULL,"
                        + " PRIMARY KEY (trial_value_id), UNIQUE (trial_id, objective),"
                        + " FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
                "CREATE TABLE trial_intermediate_values (trial_intermediate_value_id SERIAL NOT NULL,"
                        + " trial_id INTEGER NOT NULL, step INTEGER NOT NULL, intermediate_value FLOAT(53),"
                        + " intermediate_value_type trialintermediatevaluetype NOT NULL,"
                        + " PRIMARY KEY (trial_intermediate_value_id), UNIQUE (trial_id, step),"
                        + " FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
                "CREATE TABLE trial_heartbeats (trial_heartbeat_id SERIAL NOT NULL, trial_id INTEGER NOT NULL,"
                        + " heartbeat TIMESTAMP WITHOUT TIME ZONE NOT NULL, PRIMARY KEY (trial_heartbeat_id),"
                        + " UNIQUE (trial_id), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,"
                        + " CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"),
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()",
                "SELECT study_id FROM studies WHERE study_id = ? FOR UPDATE",
                "SELECT study_id, number, state FROM trials WHERE trial_id = ? FOR UPDATE",
                "SELECT CAST(now() AT TIME ZONE 'UTC' AS timestamp)");
    }

    private static String pgAttributes(String table, String id, String owner, String ownerTable) {
        return "CREATE TABLE " + table + " (" + id + " SERIAL NOT NULL, " + owner + " INTEGER,"
                + " \"key\" VARCHAR(512), value_json TEXT, PRIMARY KEY (" + id + "),"
                + " UNIQUE (" + owner + ", \"key\"), FOREIGN KEY(" + owner + ") REFERENCES " + ownerTable
                + " (" + owner + "))";
    }
}
